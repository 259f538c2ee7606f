package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the progress line says of a job, from the API's view of it, and what a wait that runs out says. */
class JobFollowerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = "{\"jobId\": \"api-slow\", \"status\": \"RUNNING\", \"progress\": 0.3}";

    @Test
    void showsThePlaceInTheQueueAndTheTimeLeft() throws Exception {
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"WAITING_FOR_SLOT\",\"queuePosition\":4,\"etaSeconds\":1250}")))
                .isEqualTo("WAITING_FOR_SLOT, place 4 in the queue, about 21 min left");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"WAITING_FOR_SLOT\",\"queuePosition\":1,\"etaSeconds\":50}")))
                .isEqualTo("WAITING_FOR_SLOT, next in the queue, about 50 s left");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"RUNNING\",\"etaSeconds\":30}"))).isEqualTo("RUNNING, about 30 s left");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"SUCCEEDED\"}"))).isEqualTo("SUCCEEDED");
        assertThat(JobFollower.describe(JSON.readTree("{\"status\":\"RENDERING_SEGMENTS\",\"segments\":{\"count\":3,\"items\":["
                + "{\"status\":\"SUCCEEDED\"},{\"status\":\"RUNNING\"},{\"status\":\"WAITING_FOR_SLOT\"}]}}")))
                .isEqualTo("RENDERING_SEGMENTS, segments 1/3 generated");
    }

    @Test
    void aJobThatOutlastsTheWaitIsACommandFailureNamingTheJobAndHowToFollowIt() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-slow", RUNNING)) {
            JobFollower follower = new JobFollower(api.client(), new PrintStream(shown, true, StandardCharsets.UTF_8));

            assertThatThrownBy(() -> follower.follow("api-slow", 1, "'outpaint status api-slow' shows it"))
                    .isInstanceOf(CommandFailure.class)
                    .hasMessage("job api-slow had not ended after 1 s (--timeout-seconds); 'outpaint status api-slow' shows it");
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("30%  RUNNING");
    }

    @Test
    void submitWaitThatRunsOutPrintsOneLineAndExitsOneWithoutATrace() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = Outpaint.out;
        PrintStream savedErr = Outpaint.err;
        Outpaint.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        Outpaint.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        try (StubApi api = new StubApi().answer("POST", "/jobs", RUNNING).answer("GET", "/jobs/api-slow", RUNNING)) {
            int exit = Outpaint.execute("submit", "inputs/street.mp4", "--prompt", "p", "--wait", "--timeout-seconds", "1",
                    "--endpoint", api.url(), "--api-key", "stub-key");

            assertThat(exit).isEqualTo(1);
        } finally {
            Outpaint.out = savedOut;
            Outpaint.err = savedErr;
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("outpaint submit: job api-slow had not ended after 1 s (--timeout-seconds); "
                + "it goes on: 'outpaint wait api-slow' follows it again, 'outpaint get api-slow' downloads it once it SUCCEEDED"
                + " (--debug shows more)" + System.lineSeparator());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Job api-slow created; following it").contains("RUNNING")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
