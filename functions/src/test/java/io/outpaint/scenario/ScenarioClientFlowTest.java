package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.simulator.Route;
import io.outpaint.testing.SimulatorFixture;
import io.outpaint.testing.Videos;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every client operation, end to end against the simulator. */
class ScenarioClientFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimulatorFixture fx;
    @TempDir static Path dir;
    private static String smallVideo;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimulatorFixture(Duration.ofMillis(800));
        smallVideo = upload(Videos.canvas(dir, "small.mp4", 320, 240, 30, 15));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @AfterEach
    void reset() {
        fx.reset();
    }

    private static String upload(Path video) throws Exception {
        try (InputStream in = Files.newInputStream(video)) {
            return fx.client.uploadVideo(video.getFileName().toString(), "video/mp4", in, Files.size(video), null);
        }
    }

    private static OutpaintRequest request(String json) throws Exception {
        return OutpaintRequest.fromJson(JSON.readTree(json));
    }

    private static Path download(String assetId) throws Exception {
        Path out = Files.createTempFile(dir, "result-", ".mp4");
        try (ResultDownload d = fx.client.openResult(assetId, 0)) {
            Files.copy(d.body(), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(out)).isEqualTo(d.length()).isEqualTo(d.asset().size());
        }
        return out;
    }

    @Test
    void uploadsAMultipartVideoAndOutpaintsItToThePredictedGeometry() throws Exception {
        Path video = Videos.large(dir, "big.mp4", 640, 480, 48, 24);
        assertThat(Files.size(video)).isGreaterThan(ScenarioSettings.MIN_PART_BYTES);
        int partsBefore = fx.simulator.count(Route.PUT_PART);
        List<Long> progress = new ArrayList<>();
        String assetId;
        try (InputStream in = Files.newInputStream(video)) {
            assetId = fx.client.uploadVideo("big.mp4", "video/mp4", in, Files.size(video), progress::add);
        }
        assertThat(fx.simulator.count(Route.PUT_PART) - partsBefore).isEqualTo(2);
        assertThat(progress).containsExactly((long) ScenarioSettings.MIN_PART_BYTES, Files.size(video));

        // left and right at 0.5: 640 + 320 + 320 = 1280 wide, 480 high; 480p keeps the short side at 480
        ScenarioJob job = fx.client.generate(request("""
                {"prompt":"a wider street","expandTop":false,"expandBottom":false,"expandRatio":0.5,
                 "resolution":"480p","numFrames":97,"framesPerSecond":20}"""), assetId);
        assertThat(job.status()).isEqualTo(ScenarioJob.Status.PENDING);
        ScenarioJob done = fx.awaitFinal(job.id(), Duration.ofSeconds(20));
        assertThat(done.status()).isEqualTo(ScenarioJob.Status.SUCCESS);
        assertThat(done.progress()).isEqualTo(1.0);

        ScenarioAsset result = fx.client.getAsset(done.assetIds().get(0));
        assertThat(result.mimeType()).isEqualTo("video/mp4");
        assertThat(result.width()).isEqualTo(1280);
        Videos.assertVideo(download(result.id()), 1280, 480, 97, 20);
    }

    @Test
    void matchesTheInputsFrameCountAndRateAndRoundsTheCanvasUpToEight() throws Exception {
        String odd = upload(Videos.canvas(dir, "odd.mp4", 250, 142, 30, 15));
        // left only at 0.1: 250 + 25 = 275 -> 280; 142 -> 144; short side 144 -> 480: 280 * 480 / 144 = 933.3 -> 934
        ScenarioJob job = fx.client.generate(request("""
                {"prompt":"p","expandRight":false,"expandTop":false,"expandBottom":false,"expandRatio":0.1,
                 "resolution":"480p","matchInputNumFrames":true,"matchInputFramesPerSecond":true}"""), odd);
        ScenarioJob done = fx.awaitFinal(job.id(), Duration.ofSeconds(20));
        Videos.assertVideo(download(done.assetIds().get(0)), 934, 480, 30, 15);
    }

    @Test
    void reportsTheStagesOfAJobWithRisingProgress() throws Exception {
        fx.simulator.jobDuration(Duration.ofSeconds(2));
        ScenarioJob job = fx.client.generate(request("{\"prompt\":\"p\"}"), smallVideo);
        List<ScenarioJob.Status> seen = new ArrayList<>();
        double lastProgress = 0;
        ScenarioJob now = job;
        while (!now.status().isFinal()) {
            now = fx.client.getJob(job.id());
            assertThat(now.progress()).isGreaterThanOrEqualTo(lastProgress);
            lastProgress = now.progress();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != now.status()) {
                seen.add(now.status());
            }
            Thread.sleep(40);
        }
        fx.simulator.jobDuration(Duration.ofMillis(800));
        assertThat(seen).containsSubsequence(ScenarioJob.Status.IN_PROGRESS, ScenarioJob.Status.FINALIZING,
                ScenarioJob.Status.SUCCESS);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(ScenarioJob.Status.SUCCESS);
    }

    @Test
    void estimatesTheCostWithoutStartingAJob() throws Exception {
        int before = fx.simulator.jobsCreated();
        int cost720 = fx.client.estimateCost(request("{\"prompt\":\"p\"}"), smallVideo);
        int cost480 = fx.client.estimateCost(request("{\"prompt\":\"p\",\"resolution\":\"480p\"}"), smallVideo);
        assertThat(cost720).isGreaterThan(cost480).isPositive();
        assertThat(fx.simulator.jobsCreated()).isEqualTo(before);
    }

    @Test
    void listsJobsNewestFirstPageByPageWithTheirInputEchoed() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fx.client.generate(request("{\"prompt\":\"listing " + i + "\"}"), smallVideo).id());
            Thread.sleep(5);
        }
        JobPage first = fx.client.listJobs(null, 2, null);
        JobPage second = fx.client.listJobs(null, 2, first.nextPaginationToken().orElseThrow());
        List<ScenarioJob> all = new ArrayList<>(first.jobs());
        all.addAll(second.jobs());
        assertThat(all.subList(0, 3)).extracting(ScenarioJob::id).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(all.get(0).input().path("prompt").asText()).isEqualTo("listing 2");
        assertThat(all.get(0).input().path("videoUrl").asText()).isEqualTo(smallVideo);
    }

    @Test
    void reportsAFailedJobWithScenariosErrorAndHint() throws Exception {
        fx.simulator.faults().nextFailingJobs(1, "Out of memory on the GPU", "Lower the resolution");
        ScenarioJob job = fx.client.generate(request("{\"prompt\":\"p\"}"), smallVideo);
        ScenarioJob done = fx.awaitFinal(job.id(), Duration.ofSeconds(20));
        assertThat(done.status()).isEqualTo(ScenarioJob.Status.FAILURE);
        assertThat(done.error()).contains("Out of memory on the GPU");
        assertThat(done.hint()).contains("Lower the resolution");
        assertThat(done.assetIds()).isEmpty();
    }

    @Test
    void aStuckJobNeverFinishes() throws Exception {
        fx.simulator.faults().stuckJobs(true);
        ScenarioJob job = fx.client.generate(request("{\"prompt\":\"p\"}"), smallVideo);
        Thread.sleep(2_000); // more than twice the job's length
        ScenarioJob now = fx.client.getJob(job.id());
        assertThat(now.status()).isEqualTo(ScenarioJob.Status.IN_PROGRESS);
        assertThat(now.progress()).isLessThan(1.0);
    }

    @Test
    void refusesAVideoStreamShorterThanItsDeclaredSize() throws Exception {
        Path video = Videos.canvas(dir, "short.mp4", 64, 64, 10, 10);
        try (InputStream in = Files.newInputStream(video)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    fx.client.uploadVideo("short.mp4", "video/mp4", in, Files.size(video) + 10, null))
                    .isInstanceOf(ScenarioClient.UncheckedReadException.class)
                    .hasMessageContaining("ended after");
        }
    }

    @Test
    void reportsAnUploadScenarioCannotImport() throws Exception {
        byte[] notAVideo = "this is text, not an MP4".getBytes();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.client.uploadVideo("fake.mp4", "video/mp4",
                        new java.io.ByteArrayInputStream(notAVideo), notAVideo.length, null))
                .isInstanceOf(ScenarioUploadFailedException.class)
                .hasMessageContaining("not a readable video");
    }
}
