package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scenario's answers are checked where they enter. */
class AnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUndocumentedJobStatusIsAnErrorNotStillRunning() throws Exception {
        assertThatThrownBy(() -> Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"paused\",\"progress\":0.5}")))
                .isInstanceOf(ScenarioProtocolException.class).hasMessageContaining("undocumented job status: paused");
    }

    @Test
    void readsEveryDocumentedStatus() throws Exception {
        for (ScenarioJob.Status status : ScenarioJob.Status.values()) {
            String assets = status == ScenarioJob.Status.SUCCESS ? "[\"asset_r\"]" : "[]";
            ScenarioJob job = Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"" + status.wire()
                    + "\",\"progress\":0.5,\"metadata\":{\"assetIds\":" + assets + "}}"));
            assertThat(job.status()).isEqualTo(status);
        }
    }

    private static java.util.Optional<java.time.Duration> inProgressAfter(String status, String createdAt, String history)
            throws Exception {
        return Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"" + status + "\",\"progress\":0.1"
                + (createdAt == null ? "" : ",\"createdAt\":\"" + createdAt + "\"")
                + (history == null ? "" : ",\"statusHistory\":" + history) + "}")).inProgressAfter();
    }

    @Test
    void readsHowLongAfterItsCreationAJobWentInProgressOnScenariosOwnClock() throws Exception {
        String history = "[{\"status\":\"queued\",\"date\":\"2026-01-01T00:00:00Z\"},"
                + "{\"status\":\"in-progress\",\"date\":\"2026-01-01T00:00:12Z\"}]";
        assertThat(inProgressAfter("in-progress", "2026-01-01T00:00:00Z", history)).contains(Duration.ofSeconds(12));
        // back in progress after a pause, listed in either order: the latest start counts
        String twice = "[{\"status\":\"in-progress\",\"date\":\"2026-01-01T00:01:00Z\"},"
                + "{\"status\":\"in-progress\",\"date\":\"2026-01-01T00:00:12Z\"}]";
        assertThat(inProgressAfter("in-progress", "2026-01-01T00:00:00Z", twice)).contains(Duration.ofMinutes(1));
        // another status: nothing, whatever the history says
        assertThat(inProgressAfter("finalizing", "2026-01-01T00:00:00Z", history)).isEmpty();
    }

    @Test
    void ignoresAHistoryItCannotReadOrBelieveAndStillReadsTheJob() throws Exception {
        String created = "2026-01-01T00:00:00Z";
        for (String bad : new String[] {"{}", "\"in-progress\"", "[{\"status\":\"in-progress\",\"date\":\"yesterday\"}]",
                "[{\"status\":\"in-progress\",\"date\":12}]",
                "[{\"status\":\"in-progress\",\"date\":\"2025-12-31T23:59:00Z\"}]", // before the job was created
                "[{\"status\":\"in-progress\",\"date\":\"2026-02-01T00:00:00Z\"}]", // a month after it
                "[{\"status\":\"in-progress\",\"date\":\"+300000000-01-01T00:00:00Z\"}]"}) { // past what epoch millis hold
            assertThat(inProgressAfter("in-progress", created, bad)).as(bad).isEmpty();
        }
        assertThat(inProgressAfter("in-progress", created, null)).isEmpty();
        assertThat(inProgressAfter("in-progress", null, "[{\"status\":\"in-progress\",\"date\":\"2026-01-01T00:00:12Z\"}]"))
                .as("no creation time to measure from").isEmpty();
    }

    private static java.util.Optional<java.time.Duration> succeededAfter(String status, String history, String updatedAt)
            throws Exception {
        String assets = "success".equals(status) ? "[\"asset_r\"]" : "[]";
        return Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"" + status + "\",\"progress\":1"
                + ",\"metadata\":{\"assetIds\":" + assets + "},\"createdAt\":\"2026-01-01T00:00:00Z\""
                + (updatedAt == null ? "" : ",\"updatedAt\":\"" + updatedAt + "\"")
                + (history == null ? "" : ",\"statusHistory\":" + history) + "}")).succeededAfter();
    }

    @Test
    void readsHowLongScenarioTookToSucceedFromItsHistoryElseItsUpdateTime() throws Exception {
        String history = "[{\"status\":\"queued\",\"date\":\"2026-01-01T00:00:00Z\"},"
                + "{\"status\":\"in-progress\",\"date\":\"2026-01-01T00:00:12Z\"},"
                + "{\"status\":\"success\",\"date\":\"2026-01-01T00:02:00Z\"}]";
        // the history's success date wins over an updatedAt that moved later (a later edit of the job)
        assertThat(succeededAfter("success", history, "2026-01-01T00:05:00Z")).contains(Duration.ofMinutes(2));
        assertThat(succeededAfter("success", null, "2026-01-01T00:01:30Z")).contains(Duration.ofSeconds(90));
        assertThat(succeededAfter("success", "[{\"status\":\"success\",\"date\":\"yesterday\"}]", "2026-01-01T00:01:30Z"))
                .contains(Duration.ofSeconds(90));
        // unbelievable or missing: nothing, and the caller counts on its own clock
        assertThat(succeededAfter("success", null, "2025-12-31T00:00:00Z")).isEmpty();
        assertThat(succeededAfter("success", "[{\"status\":\"success\",\"date\":\"+300000000-01-01T00:00:00Z\"}]", null)).isEmpty();
        assertThat(succeededAfter("success", null, null)).isEmpty();
        // not a success: nothing, whatever the dates
        assertThat(succeededAfter("failure", history, "2026-01-01T00:02:00Z")).isEmpty();
        assertThat(succeededAfter("in-progress", history, "2026-01-01T00:02:00Z")).isEmpty();
    }

    @Test
    void refusesProgressOutsideZeroToOneAndIdsThatAreNotIds() throws Exception {
        assertThatThrownBy(() -> Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"queued\",\"progress\":7}")))
                .isInstanceOf(ScenarioProtocolException.class);
        assertThatThrownBy(() -> Answers.job(JSON.readTree("{\"jobId\":\"../../etc\",\"status\":\"queued\"}")))
                .isInstanceOf(ScenarioProtocolException.class);
    }

    @Test
    void refusesAPlainHttpAssetUrlFromTheRealService() throws Exception {
        assertThatThrownBy(() -> Answers.asset(JSON.readTree("{\"id\":\"asset_1\",\"url\":\"http://cdn.example/x.mp4\"}"), false))
                .isInstanceOf(ScenarioProtocolException.class);
        assertThat(Answers.asset(JSON.readTree("{\"id\":\"asset_1\",\"url\":\"https://cdn.example/x.mp4?Signature=s\"}"), false)
                .urlForLogs()).isEqualTo("https://cdn.example/x.mp4");
    }

    @Test
    void readsErrorMessagesInEachOfScenariosShapes() throws Exception {
        assertThat(Answers.message(JSON.readTree("{\"status\":\"error\",\"code\":\"INVALID_PARAMETER\",\"message\":\"bad\"}"), "")).isEqualTo("bad");
        assertThat(Answers.message(JSON.readTree("{\"reason\":\"nope\"}"), "")).isEqualTo("nope");
        assertThat(Answers.message(JSON.readTree("{\"error\":{\"message\":\"nested\"}}"), "")).isEqualTo("nested");
        assertThat(Answers.traceId(JSON.readTree("{\"trace_id\":\"t-1\"}"))).isEqualTo("t-1");
    }
}
