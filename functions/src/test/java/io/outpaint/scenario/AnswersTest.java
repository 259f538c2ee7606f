package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
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

    @Test
    void readsWhenAJobInProgressWentInProgressFromItsHistoryAndIgnoresAHistoryItCannotRead() throws Exception {
        String history = "[{\"status\":\"queued\",\"date\":\"2026-01-01T00:00:00Z\"},"
                + "{\"status\":\"in-progress\",\"date\":\"2026-01-01T00:00:12Z\"}]";
        assertThat(Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"in-progress\",\"progress\":0.1,"
                + "\"statusHistory\":" + history + "}")).progressSince()).contains(Instant.parse("2026-01-01T00:00:12Z"));
        // another status: no start of progress, whatever the history says
        assertThat(Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"finalizing\",\"progress\":0.95,"
                + "\"statusHistory\":" + history + "}")).progressSince()).isEmpty();
        for (String bad : new String[] {"{}", "[{\"status\":\"in-progress\",\"date\":\"yesterday\"}]",
                "[{\"status\":\"in-progress\",\"date\":12}]", "\"in-progress\""}) {
            assertThat(Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"in-progress\",\"progress\":0.1,"
                    + "\"statusHistory\":" + bad + "}")).progressSince()).as(bad).isEmpty();
        }
        assertThat(Answers.job(JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"in-progress\",\"progress\":0.1}"))
                .progressSince()).isEmpty();
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
