package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
