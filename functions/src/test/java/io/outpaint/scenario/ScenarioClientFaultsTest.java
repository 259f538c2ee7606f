package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.simulator.Route;
import io.outpaint.testing.SimulatorFixture;
import io.outpaint.testing.Videos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each fault knob of the simulator, and what the client does about it: retried, counted, typed. */
class ScenarioClientFaultsTest {

    private static SimulatorFixture fx;
    @TempDir static Path dir;
    private static String video;
    private static String resultAsset;
    private static OutpaintRequest request;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimulatorFixture(Duration.ofMillis(600));
        Path file = Videos.canvas(dir, "in.mp4", 320, 240, 20, 10);
        try (InputStream in = Files.newInputStream(file)) {
            video = fx.client.uploadVideo("in.mp4", "video/mp4", in, Files.size(file), null);
        }
        request = OutpaintRequest.fromJson(new ObjectMapper().readTree("{\"prompt\":\"p\",\"resolution\":\"480p\"}"));
        ScenarioJob done = fx.awaitFinal(fx.client.generate(request, video).id(), Duration.ofSeconds(20));
        resultAsset = done.assetIds().get(0);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @AfterEach
    void reset() {
        fx.reset();
    }

    private static int delta(Route route, Runnable call) {
        int before = fx.simulator.count(route);
        call.run();
        return fx.simulator.count(route) - before;
    }

    @Test
    void retriesServerErrorsWithGrowingJitteredWaits() {
        fx.simulator.faults().nextServerErrors(3);
        int calls = delta(Route.GET_ASSET, () -> assertThat(fx.client.getAsset(resultAsset).id()).isEqualTo(resultAsset));
        assertThat(calls).isEqualTo(4);
        assertThat(fx.sleeper.waits()).hasSize(3);
        // full jitter: each wait is somewhere between 0 and base * 2^(attempt-1)
        assertThat(fx.sleeper.waits().get(0)).isBetween(Duration.ZERO, Duration.ofMillis(10));
        assertThat(fx.sleeper.waits().get(2)).isBetween(Duration.ZERO, Duration.ofMillis(40));
    }

    @Test
    void givesUpAfterTheLastAttemptWithATransientError() {
        fx.simulator.faults().nextServerErrors(10);
        int before = fx.simulator.count(Route.GET_ASSET);
        ScenarioUnavailableException e = catchThrowableOfType(ScenarioUnavailableException.class,
                () -> fx.client.getAsset(resultAsset));
        assertThat(e.isTransient()).isTrue();
        assertThat(e.status()).isBetween(500, 503);
        assertThat(fx.simulator.count(Route.GET_ASSET) - before).isEqualTo(4);
    }

    @Test
    void honoursRetryAfterOnRequestRateLimits() {
        fx.simulator.faults().nextRateLimits(2).retryAfterSeconds(7);
        int calls = delta(Route.GET_ASSET, () -> fx.client.getAsset(resultAsset));
        assertThat(calls).isEqualTo(3);
        assertThat(fx.sleeper.waits()).hasSize(2).allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void backsOffOnRateLimitsWithoutRetryAfter() {
        fx.simulator.faults().nextRateLimits(2).retryAfterSeconds(null);
        delta(Route.GET_ASSET, () -> fx.client.getAsset(resultAsset));
        assertThat(fx.sleeper.waits()).hasSize(2).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofMillis(20)));
    }

    @Test
    void typesThePlansParallelJobLimitApartFromRateLimits() throws Exception {
        fx.awaitIdle();
        fx.simulator.faults().parallelJobLimit(1);
        ScenarioSettings impatient = fx.settings.withRetry(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(200), fx.sleeper));
        ScenarioClient client = new ScenarioClient(impatient);
        fx.simulator.jobDuration(Duration.ofSeconds(5));
        client.generate(request, video);
        int before = fx.simulator.count(Route.GENERATE);
        ScenarioPlanLimitException e = catchThrowableOfType(ScenarioPlanLimitException.class, () -> client.generate(request, video));
        fx.simulator.jobDuration(Duration.ofMillis(600));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfter()).isGreaterThan(Duration.ofSeconds(1));
        // Scenario asked for seconds: more than this policy will block for, so no retry here
        assertThat(fx.simulator.count(Route.GENERATE) - before).isEqualTo(1);
        assertThat(fx.sleeper.waits()).isEmpty();
    }

    @Test
    void waitsOutThePlanLimitWhenScenarioSaysItIsShort() throws Exception {
        fx.awaitIdle();
        fx.simulator.faults().parallelJobLimit(1);
        fx.sleeper.reallySleep(true);
        fx.client.generate(request, video);
        int before = fx.simulator.count(Route.GENERATE);
        ScenarioJob second = fx.client.generate(request, video);
        assertThat(second.status()).isEqualTo(ScenarioJob.Status.PENDING);
        assertThat(fx.simulator.count(Route.GENERATE) - before).isGreaterThanOrEqualTo(2);
        assertThat(fx.sleeper.waits().get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(fx.simulator.jobsRunning()).isEqualTo(1);
    }

    @Test
    void neverRetriesAValidationError() {
        int before = fx.simulator.count(Route.GENERATE);
        ScenarioValidationException e = catchThrowableOfType(ScenarioValidationException.class,
                () -> fx.client.generate(request, "asset_doesnotexist"));
        assertThat(e.getMessage()).contains("videoUrl asset_doesnotexist is not a video asset");
        assertThat(e.traceId()).isPresent();
        assertThat(fx.simulator.count(Route.GENERATE) - before).isEqualTo(1);
    }

    @Test
    void neverRetriesNotFound() {
        assertThat(delta(Route.GET_JOB, () -> assertThatThrownBy(() -> fx.client.getJob("job_nosuchjob"))
                .isInstanceOf(ScenarioNotFoundException.class))).isEqualTo(1);
    }

    @Test
    void neverRetriesAForbiddenModel() {
        fx.simulator.faults().modelForbidden(true);
        int calls = delta(Route.GENERATE, () -> assertThatThrownBy(() -> fx.client.generate(request, video))
                .isInstanceOf(ScenarioAuthException.class).hasMessageContaining("Pro plan"));
        assertThat(calls).isEqualTo(1);
    }

    @Test
    void neverRetriesWrongCredentialsAndNeverShowsThem() {
        ScenarioClient wrong = new ScenarioClient(ScenarioSettings.of(URI.create(fx.simulator.apiUrl()),
                new ScenarioCredentials("key-WRONG-1234", "secret-WRONG-5678")).withRetry(fx.settings.retry()));
        int before = fx.simulator.count(Route.GET_JOB);
        ScenarioAuthException e = catchThrowableOfType(ScenarioAuthException.class, () -> wrong.getJob("job_x"));
        assertThat(e.status()).isEqualTo(401);
        assertThat(fx.simulator.count(Route.GET_JOB)).isEqualTo(before); // refused before routing
        assertThat(e.getMessage()).doesNotContain("key-WRONG-1234").doesNotContain("secret-WRONG-5678");
        assertThat(new ScenarioCredentials("key-WRONG-1234", "secret-WRONG-5678").toString())
                .doesNotContain("WRONG").isEqualTo("ScenarioCredentials[redacted]");
        assertThat(fx.settings.toString()).doesNotContain(SimulatorFixture.KEY).doesNotContain(SimulatorFixture.SECRET);
    }

    @Test
    void aLostGenerateAnswerIsNotRepeatedAndTheJobIsFoundInTheList() {
        fx.simulator.faults().nextLostGenerateAnswers(1);
        int jobsBefore = fx.simulator.jobsCreated();
        ScenarioOutcomeUnknownException e = catchThrowableOfType(ScenarioOutcomeUnknownException.class,
                () -> fx.client.generate(request, video));
        assertThat(e.isTransient()).isTrue();
        assertThat(fx.simulator.jobsCreated()).isEqualTo(jobsBefore + 1);
        assertThat(fx.sleeper.waits()).isEmpty();
        ScenarioJob found = fx.client.listJobs(null, 10, null).jobs().get(0);
        assertThat(found.input()).isEqualTo(request.toScenarioBody(video));
    }

    @Test
    void aServerErrorOnGenerateIsReportedAsAnUnknownOutcomeNotRetried() {
        fx.simulator.faults().nextServerErrors(1);
        int calls = delta(Route.GENERATE, () -> assertThatThrownBy(() -> fx.client.generate(request, video))
                .isInstanceOf(ScenarioOutcomeUnknownException.class).hasMessageContaining("may have created the job"));
        assertThat(calls).isEqualTo(1);
    }

    @Test
    void aRateLimitedGenerateIsRetriedSinceNothingWasCreated() {
        fx.simulator.faults().nextRateLimits(2).retryAfterSeconds(null);
        int jobsBefore = fx.simulator.jobsCreated();
        int calls = delta(Route.GENERATE, () -> fx.client.generate(request, video));
        assertThat(calls).isEqualTo(3);
        assertThat(fx.simulator.jobsCreated()).isEqualTo(jobsBefore + 1);
    }

    @Test
    void timesOutASlowAnswerAndRetriesIt() {
        fx.simulator.faults().latency(Duration.ofMillis(2_500));
        ScenarioClient quick = new ScenarioClient(fx.settings.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
                .withRetry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(1), fx.sleeper)));
        assertThatThrownBy(() -> quick.getAsset(resultAsset)).isInstanceOf(ScenarioUnavailableException.class)
                .hasMessageContaining("timed out");
        assertThat(fx.sleeper.waits()).hasSize(1);
    }

    @Test
    void resumesADownloadWhoseConnectionDropped() throws Exception {
        byte[] whole = readAll(fx.client.openResult(resultAsset, 0));
        fx.simulator.faults().nextDroppedDownloads(1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ResultDownload first = fx.client.openResult(resultAsset, 0)) {
            assertThatThrownBy(() -> first.body().transferTo(got)).isInstanceOf(IOException.class);
        }
        assertThat(got.size()).isPositive().isLessThan(whole.length);
        got.write(readAll(fx.client.openResult(resultAsset, got.size())));
        assertThat(sha256(got.toByteArray())).isEqualTo(sha256(whole));
    }

    @Test
    void fetchesTheAssetAgainWhenItsUrlHasExpired() throws Exception {
        fx.simulator.urlLifetime(Duration.ofMillis(-1)); // every URL handed out is already expired
        fx.sleeper.onSleep(() -> fx.simulator.urlLifetime(Duration.ofHours(1)));
        int assetsBefore = fx.simulator.count(Route.GET_ASSET);
        int downloadsBefore = fx.simulator.count(Route.DOWNLOAD);
        byte[] bytes = readAll(fx.client.openResult(resultAsset, 0));
        assertThat(bytes.length).isPositive();
        assertThat(fx.simulator.count(Route.GET_ASSET) - assetsBefore).isEqualTo(2);
        assertThat(fx.simulator.count(Route.DOWNLOAD) - downloadsBefore).isEqualTo(2);
    }

    @Test
    void anExpiredUrlIsRefusedWith403() throws Exception {
        fx.simulator.urlLifetime(Duration.ofMillis(-1));
        ScenarioAsset asset = fx.client.getAsset(resultAsset);
        fx.simulator.urlLifetime(Duration.ofHours(1));
        var c = (java.net.HttpURLConnection) asset.url().toURL().openConnection();
        assertThat(c.getResponseCode()).isEqualTo(403);
    }

    @Test
    void randomServerErrorsAndRateLimitsStillLetAnUploadThrough() throws Exception {
        int faultsBefore = fx.simulator.faultsServed();
        fx.simulator.faults().serverErrorRate(0.3).rateLimitRate(0.2).retryAfterSeconds(null);
        // the upload's polls wait through the same sleeper: give them a length no retry asks for (whole milliseconds)
        Duration poll = Duration.ofMillis(20).plusNanos(1);
        ScenarioClient patient = new ScenarioClient(fx.settings.withRetry(
                new RetryPolicy(12, Duration.ofMillis(5), Duration.ofSeconds(1), fx.sleeper))
                .withUpload(ScenarioSettings.MIN_PART_BYTES, poll, Duration.ofSeconds(30)));
        Path file = Videos.canvas(dir, "again.mp4", 320, 240, 12, 12);
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(patient.uploadVideo("again.mp4", "video/mp4", in, Files.size(file), null)).startsWith("asset_");
        }
        assertThat(fx.simulator.faultsServed() - faultsBefore)
                .isEqualTo(fx.sleeper.waits().stream().filter(w -> !w.equals(poll)).count());
    }

    @Test
    void logsRetriesWithoutCredentials() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            fx.simulator.faults().nextServerErrors(2);
            fx.client.getAsset(resultAsset);
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString();
        assertThat(logs).contains("GET /v1/assets/" + resultAsset).contains("retrying");
        assertThat(logs).doesNotContain(SimulatorFixture.KEY).doesNotContain(SimulatorFixture.SECRET).doesNotContain("Basic ");
    }

    private static byte[] readAll(ResultDownload download) throws IOException {
        try (download) {
            return download.body().readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
