package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code retry-segment JOB_ID N}: one POST to the segment's retry route, and one line saying what it started. */
class RetrySegmentCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = """
            {"jobId": "api-9", "status": "RENDERING_SEGMENTS", "segments": {"count": 3},
             "retry": {"segment": 2, "jobId": "api-9-s002-a2", "previousJobId": "api-9-s002", "previousSeed": 42, "seed": 7}}""";
    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    @Test
    void theLineNamesTheSegmentItsNewJobAndSeedAndWhatComesNext() throws Exception {
        assertThat(RetrySegmentCommand.line(JSON.readTree(ANSWER))).isEqualTo("Job api-9: segment 2 of 3 is generated again as"
                + " api-9-s002-a2 with seed 7 (was 42); then the clip is joined again (its current video stays until then)."
                + " Follow it: outpaint wait api-9");
        String failed = ANSWER.replace("\"seed\": 7}", "\"seed\": 7, \"alsoQueued\": [\"api-9-s003-a2\"]}");
        assertThat(RetrySegmentCommand.line(JSON.readTree(failed))).contains("(was 42); queued again with it: api-9-s003-a2; then");
    }

    @Test
    void theCommandPostsTheSeedAndTheKeyToTheSegmentsRoute() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs/api-9/segments/2/retry", 202, ANSWER)) {
            assertThat(Outpaint.execute("retry-segment", "api-9", "2", "--seed", "7", "--idempotency-key", "k1",
                    "--endpoint", api.url(), "--api-key", "k")).isZero();

            assertThat(api.requests()).containsExactly("POST /jobs/api-9/segments/2/retry");
            assertThat(JSON.readTree(api.bodies().get(0))).isEqualTo(JSON.readTree("{\"seed\": 7}"));
        }
        assertThat(console.out()).startsWith("Job api-9: segment 2 of 3 is generated again as api-9-s002-a2 with seed 7");
        assertThat(console.err()).isEmpty();
    }

    @Test
    void withoutASeedNoBodyIsSent() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs/api-9/segments/1/retry", 202, ANSWER)) {
            assertThat(Outpaint.execute("retry-segment", "api-9", "1", "--endpoint", api.url(), "--api-key", "k")).isZero();
            assertThat(api.bodies()).containsExactly("");
        }
    }

    @Test
    void aRefusalIsTheApisMessageInOneLine() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs/api-9/segments/4/retry", 400, """
                {"error": {"code": "INVALID_REQUEST", "message": "n: a segment's number, an integer from 1 to 3 (this clip has 3 segments)",
                 "fields": [{"field": "n", "message": "n: 4 is not allowed; allowed: a segment's number, an integer from 1 to 3 (this clip has 3 segments)"}]}}""")) {
            assertThat(Outpaint.execute("retry-segment", "api-9", "4", "--endpoint", api.url(), "--api-key", "k")).isEqualTo(1);
        }
        assertThat(console.err()).startsWith("outpaint retry-segment: ").contains("from 1 to 3").contains("HTTP 400");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void aSeedThatIsNotANumberIsRefusedBeforeAnyRequest() throws Exception {
        try (StubApi api = new StubApi()) {
            assertThat(Outpaint.execute("retry-segment", "api-9", "2", "--seed", "abc", "--endpoint", api.url(), "--api-key", "k"))
                    .isEqualTo(2);
            assertThat(api.requests()).isEmpty();
        }
        assertThat(console.err()).contains("--seed");
    }
}
