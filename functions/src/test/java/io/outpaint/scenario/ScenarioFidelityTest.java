package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.simulator.Route;
import io.outpaint.testing.SimulatorFixture;
import io.outpaint.testing.Videos;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a comparison with Scenario's own clients found, each against the simulator behaving as Scenario does. */
class ScenarioFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimulatorFixture fx;
    private static Path video;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimulatorFixture(Duration.ofMillis(600));
        video = Videos.canvas(dir, "small.mp4", 160, 120, 12, 12);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @AfterEach
    void reset() {
        fx.reset();
        fx.simulator.skipOptionalStages(false);
    }

    private static String upload(ScenarioClient client) throws Exception {
        try (InputStream in = Files.newInputStream(video)) {
            return client.uploadVideo("small.mp4", "video/mp4", in, Files.size(video), null);
        }
    }

    private static OutpaintRequest request() throws Exception {
        return OutpaintRequest.fromJson(JSON.readTree("{\"prompt\":\"fidelity\",\"resolution\":\"480p\"}"));
    }

    @Test
    void keepsPollingAnUploadThatIsCompleteUntilItIsImported() throws Exception {
        int reads = fx.simulator.count(Route.GET_UPLOAD);
        String asset = upload(fx.client);
        assertThat(asset).startsWith("asset_");
        // the simulator shows every upload as complete (no entityId) once before imported
        assertThat(fx.simulator.count(Route.GET_UPLOAD) - reads).isGreaterThanOrEqualTo(2);
        assertThat(fx.sleeper.waits()).contains(fx.settings.uploadPollInterval());
    }

    @Test
    void givesUpOnAnUploadStuckInCompleteByTheInjectedClockWithoutWaitingForReal() {
        fx.simulator.faults().uploadsNeverImported(true);
        ManualClock clock = new ManualClock();
        List<Duration> waits = new CopyOnWriteArrayList<>();
        RetryPolicy.Sleeper advancing = d -> {
            waits.add(d);
            clock.advance(d);
        };
        ScenarioSettings settings = fx.settings.withRetry(fx.settings.retry().withSleeper(advancing))
                .withUpload(ScenarioSettings.MIN_PART_BYTES, Duration.ofSeconds(30), Duration.ofMinutes(5));
        ScenarioClient client = new ScenarioClient(settings, clock);

        ScenarioUnavailableException e = catchThrowableOfType(ScenarioUnavailableException.class, () -> upload(client));
        assertThat(e).hasMessageContaining("had not imported").hasMessageContaining("status complete");
        // five minutes of the injected clock in 30 s steps: eleven waits (the deadline is passed on the eleventh), none of them real
        assertThat(waits).hasSize(11).containsOnly(Duration.ofSeconds(30));
    }

    @Test
    void listsEarlierJobsWithTheirInputAndResultsAskingScenarioNotToHideThem() throws Exception {
        String asset = upload(fx.client);
        ScenarioJob job = fx.client.generate(request(), asset);
        fx.awaitFinal(job.id(), Duration.ofSeconds(20));
        ScenarioJob listed = fx.client.listJobs(ScenarioJob.Status.SUCCESS, 200, null).jobs().stream()
                .filter(j -> j.id().equals(job.id())).findFirst().orElseThrow();
        assertThat(listed.input().path("videoUrl").asText()).isEqualTo(asset);
        assertThat(listed.input().path("prompt").asText()).isEqualTo("fidelity");
        assertThat(listed.assetIds()).hasSize(1);
    }

    @Test
    void followsAJobThatStartsInPendingAndSkipsWarmingUpAndFinalizing() throws Exception {
        fx.simulator.skipOptionalStages(true);
        fx.simulator.jobDuration(Duration.ofSeconds(1));
        ScenarioJob job = fx.client.generate(request(), upload(fx.client));
        assertThat(job.status()).isEqualTo(ScenarioJob.Status.PENDING);
        List<ScenarioJob.Status> seen = new ArrayList<>(List.of(job.status()));
        ScenarioJob now = job;
        while (!now.status().isFinal()) {
            Thread.sleep(20);
            now = fx.client.getJob(job.id());
            if (seen.get(seen.size() - 1) != now.status()) {
                seen.add(now.status());
            }
        }
        fx.simulator.jobDuration(Duration.ofMillis(600));
        assertThat(seen).doesNotContain(ScenarioJob.Status.WARMING_UP, ScenarioJob.Status.FINALIZING)
                .containsSubsequence(ScenarioJob.Status.PENDING, ScenarioJob.Status.IN_PROGRESS, ScenarioJob.Status.SUCCESS);
        assertThat(now.assetIds()).hasSize(1);
    }

    @Test
    void recognisesThePlanLimitByItsFieldsNotItsWording() throws Exception {
        JsonNode plan = JSON.readTree("{\"reason\":\"Limit reached\",\"details\":{\"actionName\":\"parallel-custom-jobs\","
                + "\"actionLimit\":2},\"remainingSeconds\":12}");
        ScenarioException limit = ScenarioHttp.failure("POST /v1/generate", 429, plan, plan.toString(), null,
                ScenarioHttp.Safety.CREATES_JOB);
        assertThat(limit).isInstanceOf(ScenarioPlanLimitException.class).hasMessageContaining("Limit reached");
        assertThat(((ScenarioThrottledException) limit).retryAfter()).isEqualTo(Duration.ofSeconds(12));

        JsonNode wordsOnly = JSON.readTree("{\"reason\":\"PlanLimitReachedError parallel-custom-jobs\"}");
        assertThat(ScenarioHttp.failure("POST /v1/generate", 429, wordsOnly, wordsOnly.toString(), null,
                ScenarioHttp.Safety.CREATES_JOB)).isInstanceOf(ScenarioRateLimitException.class);
    }

    @Test
    void typesTheSimulatorsPlanLimitAnswerWithItsWait() throws Exception {
        fx.awaitIdle();
        String asset = upload(fx.client);
        fx.simulator.faults().parallelJobLimit(0);
        ScenarioClient once = new ScenarioClient(fx.settings.withRetry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, fx.sleeper)));
        ScenarioPlanLimitException e = catchThrowableOfType(ScenarioPlanLimitException.class, () -> once.generate(request(), asset));
        assertThat(e.retryAfter()).isNotNull();
        assertThat(e.getMessage()).contains("PlanLimitReachedError");
    }

    @Test
    void readsScenariosReasonForARefusedCancel() throws Exception {
        JsonNode body = JSON.readTree("{\"reason\":\"Cannot cancel this type of job. Action not permitted.\"}");
        assertThat(ScenarioHttp.failure("POST /v1/jobs/job_1/action", 400, body, body.toString(), null,
                ScenarioHttp.Safety.REPEATABLE)).isInstanceOf(ScenarioValidationException.class)
                .hasMessageContaining("Cannot cancel this type of job. Action not permitted.");
    }

    /** A clock that moves only when told. */
    private static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
