package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code status JOB_ID [--urls] [--json]} against a stub API: a summary people read, the record as it is for scripts. */
class StatusCommandTest {

    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    private static final String SUCCEEDED = """
            {"jobId": "api-7", "status": "SUCCEEDED", "progress": 1.0, "createdAt": "2026-11-24T04:59:00Z",
             "input": {"bucket": "outpaint-local", "key": "inputs/api-7/Street_at_dusk.mp4", "name": "Street at dusk.mp4",
                       "url": "http://127.0.0.1:1/outpaint-local/inputs/api-7/Street_at_dusk.mp4?X-Amz-Signature=in5ecret"},
             "request": {"prompt": "a wide sunny street"},
             "billing": {"estimate": 12, "billed": 12},
             "outputs": [{"bucket": "outpaint-local", "key": "outputs/api-7/outpaint.mp4", "bytes": 1234567, "width": 960, "height": 544,
                          "durationSeconds": 3.0, "url": "http://127.0.0.1:1/outpaint-local/outputs/api-7/outpaint.mp4?X-Amz-Signature=0ut5ecret"},
                         {"bucket": "outpaint-local", "key": "outputs/api-7/poster.jpg", "bytes": 900,
                          "url": "http://127.0.0.1:1/outpaint-local/outputs/api-7/poster.jpg?X-Amz-Signature=p05ter"}]}""";

    private static int status(StubApi api, String... more) {
        String[] args = {"status", "--endpoint", api.url(), "--api-key", "stub-key"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Outpaint.execute(all);
    }

    @Test
    void aFinishedJobIsASummaryWithItsFilePromptOutputsAndSizesAndNoDownloadLinks() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-7", SUCCEEDED)) {
            assertThat(status(api, "api-7")).isZero();
        }
        assertThat(console.out().lines().toList()).contains(
                "Job api-7",
                "  input     Street at dusk.mp4   (s3://outpaint-local/inputs/api-7/Street_at_dusk.mp4)",
                "  prompt    \"a wide sunny street\"",
                "  status    SUCCEEDED",
                "  progress  100%",
                "  cost      estimate 12 creative units, billed 12",
                "  outputs   outputs/api-7/outpaint.mp4   1.2 MB, 960x544, 3.00 s",
                "            outputs/api-7/poster.jpg   900 bytes",
                "  next      'outpaint get api-7' downloads the result; --urls shows the download links");
        assertThat(console.out()).doesNotContain("X-Amz-Signature").doesNotContain("{");
        assertThat(console.err()).isEmpty();
    }

    @Test
    void aLongClipsParentShowsItsCostAsItsSegmentsSum() throws Exception {
        String parent = """
                {"jobId": "api-long", "status": "SUCCEEDED", "progress": 1.0, "createdAt": "2026-11-24T04:59:00Z",
                 "request": {"prompt": "p"}, "billing": {"estimate": 700, "billed": 690},
                 "segments": {"count": 3, "succeeded": 3, "overlapFrames": 8, "items": []}, "outputs": []}""";
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-long", parent)) {
            assertThat(status(api, "api-long")).isZero();
        }
        assertThat(console.out().lines().toList())
                .contains("  cost      estimate 700 creative units, billed 690 (the sum of its 3 segments')");
    }

    @Test
    void aLongClipsParentListsItsRetriesOneLineEachAfterSayingWhichSegmentsWereGeneratedAgain() throws Exception {
        String parent = """
                {"jobId": "api-long", "status": "SUCCEEDED", "progress": 1.0, "createdAt": "2026-11-24T04:59:00Z",
                 "request": {"prompt": "p"},
                 "segments": {"count": 3, "succeeded": 3, "overlapFrames": 8,
                              "items": [{"index": 0, "status": "SUCCEEDED"}, {"index": 1, "status": "SUCCEEDED"}, {"index": 2, "status": "SUCCEEDED"}],
                              "retries": [{"segment": 3, "at": "2026-11-24T05:10:00Z", "jobId": "api-long-s003-a2", "previousJobId": "api-long-s003",
                                           "previousSeed": 42, "seed": 7},
                                          {"segment": 1, "at": "2026-11-24T05:20:00Z", "jobId": "api-long-s001-a2", "previousJobId": "api-long-s001",
                                           "previousSeed": 42, "seed": 1234567890123},
                                          {"segment": 3, "at": "2026-11-24T05:30:00Z", "jobId": "api-long-s003-a3", "previousJobId": "api-long-s003-a2",
                                           "previousSeed": 7, "seed": 9}]},
                 "outputs": []}""";
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-long", parent)) {
            assertThat(status(api, "api-long")).isZero();
        }
        List<String> lines = console.out().lines().toList();
        int at = lines.indexOf("  retried   segments 1 and 3 generated again");
        assertThat(at).as(console.out()).isPositive();
        assertThat(lines.get(at + 1)).startsWith("            segment 3: seed 42 -> 7, 2026-11-24T05:10:00Z (");
        assertThat(lines.get(at + 2)).startsWith("            segment 1: seed 42 -> 1234567890123, 2026-11-24T05:20:00Z (");
        assertThat(lines.get(at + 3)).startsWith("            segment 3: seed 7 -> 9, 2026-11-24T05:30:00Z (").endsWith(" ago)");
        assertThat(lines.get(at + 4)).startsWith("  next ");
        assertThat(lines).contains("  status    SUCCEEDED, segments 3/3 generated");
    }

    @Test
    void aLongClipThatFailedWithASegmentSuggestsGeneratingThatSegmentAgainNotANewJob() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-long", FinishedJobs.segmentFailed("api-long"))) {
            assertThat(status(api, "api-long")).isZero();
        }
        assertThat(console.out().lines().toList()).contains("  status    FAILED, segments 1/3 generated",
                "  next      'outpaint retry-segment api-long 2' generates segment 2 again with a new seed, then joins the clip;"
                        + " 'outpaint wait api-long' follows it");
        assertThat(console.out()).doesNotContain("outpaint submit");
    }

    @Test
    void theSegmentToGenerateAgainIsTheOneTheErrorNamesElseTheFirstThatFailedAndOtherFailuresSuggestANewJob() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var named = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(FinishedJobs.segmentFailed("api-long"));
        assertThat(JobFollower.retrySegment(named)).hasValueSatisfying(s -> assertThat(s).startsWith("'outpaint retry-segment api-long 2' "));
        // a later segment that failed after the clip had (recorded late) does not take the place of the one that failed it
        ((com.fasterxml.jackson.databind.node.ObjectNode) named.path("segments").path("items").get(2)).put("status", "FAILED");
        assertThat(JobFollower.retrySegment(named)).hasValueSatisfying(s -> assertThat(s).startsWith("'outpaint retry-segment api-long 2' "));
        // the error's segment field decides, whatever the message's wording says
        ((com.fasterxml.jackson.databind.node.ObjectNode) named.path("error")).put("message", "segment 2 of 3 failed").put("segment", 3);
        assertThat(JobFollower.retrySegment(named)).hasValueSatisfying(s -> assertThat(s).startsWith("'outpaint retry-segment api-long 3' "));
        // a record written before the field (a data dir kept by an earlier version): the message's wording names it
        ((com.fasterxml.jackson.databind.node.ObjectNode) named.path("error")).remove("segment");
        assertThat(JobFollower.retrySegment(named)).hasValueSatisfying(s -> assertThat(s).startsWith("'outpaint retry-segment api-long 2' "));
        // an error worded otherwise: the first segment whose job failed or timed out
        ((com.fasterxml.jackson.databind.node.ObjectNode) named.path("error")).put("message", "a segment failed");
        ((com.fasterxml.jackson.databind.node.ObjectNode) named.path("segments").path("items").get(1)).put("status", "SUCCEEDED");
        assertThat(JobFollower.retrySegment(named)).hasValueSatisfying(s -> assertThat(s).startsWith("'outpaint retry-segment api-long 3' "));

        assertThat(JobFollower.retrySegment(json.readTree(FinishedJobs.failed("api-2")))).as("failed another way").isEmpty();
        var canceled = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(FinishedJobs.segmentFailed("api-long"));
        canceled.put("status", "CANCELED");
        assertThat(JobFollower.retrySegment(canceled)).isEmpty();
        assertThat(JobSummary.text(json.readTree(FinishedJobs.failed("api-2")), false, java.time.Instant.now()))
                .contains("  next      it has ended; 'outpaint submit' starts a new job");
    }

    @Test
    void aRetryLineIsShortAndAParentWithoutRetriesHasNoneOneSegmentIsNamedAlone() {
        ObjectMapper json = new ObjectMapper();
        java.time.Instant now = java.time.Instant.parse("2026-11-24T06:00:00Z");
        com.fasterxml.jackson.databind.JsonNode one = json.createObjectNode().set("segments", json.createObjectNode()
                .set("retries", json.createArrayNode().add(json.createObjectNode().put("segment", 2).put("at", "2026-11-24T05:00:00Z")
                        .put("previousSeed", 42).put("seed", 7))));
        assertThat(JobSummary.regenerated(one)).isEqualTo("segment 2 generated again");
        assertThat(JobSummary.retries(one, now)).containsExactly("segment 2: seed 42 -> 7, 2026-11-24T05:00:00Z (1h ago)");

        com.fasterxml.jackson.databind.JsonNode none = json.createObjectNode().set("segments", json.createObjectNode().put("count", 3));
        assertThat(JobSummary.regenerated(none)).isEmpty();
        assertThat(JobSummary.retries(none, now)).isEmpty();
        assertThat(JobSummary.text(none, false, now)).doesNotContain("retried", "generated again");
    }

    @Test
    void urlsAddsTheDownloadLinksAndJsonPrintsTheRecordAsItIs() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-7", SUCCEEDED)) {
            assertThat(status(api, "api-7", "--urls")).isZero();
            assertThat(console.out()).contains("            http://127.0.0.1:1/outpaint-local/outputs/api-7/outpaint.mp4?X-Amz-Signature=0ut5ecret")
                    .contains("X-Amz-Signature=in5ecret");
            console.out.reset();

            assertThat(status(api, "api-7", "--json")).isZero();
        }
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(console.out())).isEqualTo(json.readTree(SUCCEEDED));
    }

    @Test
    void aWaitingJobShowsItsPlaceAndAFailedOneItsError() throws Exception {
        try (StubApi api = new StubApi()
                .answer("GET", "/jobs/api-8", """
                        {"jobId": "api-8", "status": "WAITING_FOR_SLOT", "progress": 0, "queuePosition": 3, "etaSeconds": 400,
                         "createdAt": "2026-11-24T04:59:00Z", "input": {"bucket": "b", "key": "inputs/beach.webm"}}""")
                .answer("GET", "/jobs/api-2", FinishedJobs.failed("api-2"))) {
            assertThat(status(api, "api-8")).isZero();
            assertThat(console.out()).contains("  input     beach.webm   (s3://b/inputs/beach.webm)")
                    .contains("  status    WAITING_FOR_SLOT, place 3 in the queue, about 7 min left")
                    .contains("  next      'outpaint wait api-8 -o FILE' follows it and saves the result");
            console.out.reset();

            assertThat(status(api, "api-2")).isZero();
        }
        assertThat(console.out()).contains("  status    FAILED").contains("  progress  50%")
                .contains("  error     SCENARIO_FAILED: the model gave up (hint: try a shorter video)")
                .doesNotContain("outpaint get");
    }

    @Test
    void anUnknownJobIsTheApisOneLineAndExitOne() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/nope", 404, "{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"no job nope\"}}")) {
            assertThat(status(api, "nope")).isEqualTo(1);
        }
        assertThat(console.err()).isEqualTo("outpaint status: no job nope (HTTP 404 NOT_FOUND)" + System.lineSeparator());
        assertThat(console.out()).isEmpty();
    }
}
