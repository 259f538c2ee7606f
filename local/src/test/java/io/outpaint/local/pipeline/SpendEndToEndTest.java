package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import io.outpaint.simulator.Route;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** What a job costs, through the HTTP API on the local runtime: estimates without the user's video, the billed units on the record. */
class SpendEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "inputs/spend/clip.mp4";
    private static LocalPipeline pipeline;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withLimit(2)
                .withJobDuration(Duration.ofMillis(600)));
        Path video = dir.resolve("clip.mp4");
        // noise: several megabytes, so that an upload of it could not pass unseen
        Mp4Video.write(video, 320, 240, 120, 16, Mp4Video.Pattern.NOISE, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(KEY).contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + path))
                .header("x-api-key", pipeline.httpApi().apiKey()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 202);
        return JSON.readTree(answer.body());
    }

    private static JsonNode estimate(String request) throws Exception {
        return call("POST", "/estimate", "{\"video\":{\"key\":\"" + KEY + "\"},\"request\":" + request + "}");
    }

    @Test
    void estimatesFromTheShapeWithoutUploadingTheVideoAskingScenarioOncePerShape() throws Exception {
        estimate("{\"prompt\":\"warm\",\"numInferenceSteps\":11}"); // the deployment's first price uploads the small reference, once
        int uploads = pipeline.simulator().count(Route.CREATE_UPLOAD);
        int generates = pipeline.simulator().count(Route.GENERATE);

        JsonNode first = estimate("{\"prompt\":\"a street\",\"matchInputNumFrames\":true,\"resolution\":\"480p\"}");
        JsonNode again = estimate("{\"prompt\":\"another prompt, same shape\",\"matchInputNumFrames\":true,\"resolution\":\"480p\","
                + "\"expandRatio\":0.5}");

        assertThat(pipeline.simulator().count(Route.CREATE_UPLOAD)).isEqualTo(uploads);
        assertThat(pipeline.simulator().count(Route.GENERATE) - generates).isEqualTo(1); // one dry run: the second was the cache's
        assertThat(first.path("source").asText()).isEqualTo("dryRun");
        assertThat(again.path("source").asText()).isEqualTo("cache");
        // the simulator's rule: 20 * 120/81 * 1 (480p) * 30/30 * 21/20 = 31.1, rounded up; 120 frames read from the MP4's index
        assertThat(first.path("creativeUnits").asInt()).isEqualTo(32);
        assertThat(again.path("creativeUnits").asInt()).isEqualTo(32);
        assertThat(first.path("shape")).isEqualTo(JSON.readTree(
                "{\"frames\":120,\"resolution\":\"480p\",\"numInferenceSteps\":30,\"numInterpolatedFrames\":1}"));
    }

    @Test
    void aFinishedJobsRecordCarriesItsEstimateAndTheUnitsScenarioBilled() throws Exception {
        JsonNode created = call("POST", "/jobs", "{\"video\":{\"key\":\"" + KEY + "\"},\"request\":{\"prompt\":\"p\",\"resolution\":\"580p\","
                + "\"matchInputNumFrames\":true}}");
        String jobId = created.path("jobId").asText();
        assertThat(created.path("billing").path("estimate").asInt()).isEqualTo(47); // 20 * 120/81 * 1.5 * 21/20 = 46.7
        JsonNode done = awaitStatus(jobId, "SUCCEEDED");
        assertThat(done.path("billing").path("estimate").asInt()).isEqualTo(47);
        assertThat(done.path("billing").path("billed").asInt()).isEqualTo(47);
        assertThat(pipeline.services().jobs().get(jobId).billing().billed()).isEqualTo(47);
    }

    @Test
    void refusesAJobWhoseEstimateIsAboveItsMaxCreativeUnitsNamingBothFigures() throws Exception {
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/jobs"))
                .header("x-api-key", pipeline.httpApi().apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"video\":{\"key\":\"" + KEY + "\"},\"maxCreativeUnits\":40,"
                        + "\"request\":{\"prompt\":\"p\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("OVER_MAX_CREATIVE_UNITS");
        assertThat(error.path("message").asText()).contains("48").contains("40"); // the defaults cost 48
        assertThat(pipeline.services().jobs().list(java.util.Optional.empty(), 100, java.util.Optional.empty()).jobs())
                .noneMatch(j -> j.request().path("prompt").asText().equals("p") && j.billingOrNone().estimate() != null
                        && j.billingOrNone().estimate() == 48);
    }

    /**
     * A 200 MB video: its estimate reads its headers only (the frame count from its MP4 index), and the
     * simulator sees no upload of any kind and no generate call for a shape it has priced. The time each
     * call took is printed, not asserted: the first call for a shape asks Scenario, the next are the cache's.
     */
    @Test
    void estimatesA200MegabyteVideoWithoutUploadingIt() throws Exception {
        Path big = dir.resolve("big.mp4");
        Mp4Video.write(big, 2560, 1440, 81, 16, Mp4Video.Pattern.NOISE, Mp4Video.Inset.NONE, 200L * 1024 * 1024);
        assertThat(java.nio.file.Files.size(big)).isGreaterThanOrEqualTo(200L * 1024 * 1024);
        int frames = Mp4Video.probe(big).frames();
        assertThat(frames).isBetween(81, 241); // one generation: no segments
        String key = "inputs/staged/spend/big.mp4"; // staged: its landing starts no job (which would upload it)
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(big));
        }
        String body = "{\"video\":{\"key\":\"" + key + "\"},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\","
                + "\"matchInputNumFrames\":true,\"numInferenceSteps\":29}}";
        estimate("{\"prompt\":\"warm\",\"numInferenceSteps\":12}"); // the deployment's first price uploads the small reference
        int[] before = {pipeline.simulator().count(Route.CREATE_UPLOAD), pipeline.simulator().count(Route.PUT_PART),
                pipeline.simulator().count(Route.COMPLETE_UPLOAD), pipeline.simulator().count(Route.GENERATE)};

        long started = System.nanoTime();
        JsonNode first = call("POST", "/estimate", body);
        long firstNanos = System.nanoTime() - started;
        started = System.nanoTime();
        JsonNode again = call("POST", "/estimate", body);
        long againNanos = System.nanoTime() - started;

        // 20 * frames/81 * 1 (480p) * 29/30 * 21/20, rounded up
        assertThat(first.path("creativeUnits").asInt()).isEqualTo((int) Math.ceil(20.0 * frames / 81 * 29 / 30 * 21 / 20 - 1e-9));
        assertThat(first.path("shape").path("frames").asInt()).isEqualTo(frames);
        assertThat(first.path("source").asText()).isEqualTo("dryRun");
        assertThat(again.path("source").asText()).isEqualTo("cache");
        assertThat(again.path("creativeUnits")).isEqualTo(first.path("creativeUnits"));
        // no upload of any kind: not started, no part sent, none completed
        assertThat(pipeline.simulator().count(Route.CREATE_UPLOAD) - before[0]).isZero();
        assertThat(pipeline.simulator().count(Route.PUT_PART) - before[1]).isZero();
        assertThat(pipeline.simulator().count(Route.COMPLETE_UPLOAD) - before[2]).isZero();
        assertThat(pipeline.simulator().count(Route.GENERATE) - before[3]).isEqualTo(1); // the dry run of the first call only
        System.out.printf("POST /estimate of a %d MB video: first call %d ms (a dry run), second %d ms (the cache)%n",
                java.nio.file.Files.size(big) >> 20, firstNanos / 1_000_000, againNanos / 1_000_000);
    }

    private static JsonNode awaitStatus(String jobId, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = call("GET", "/jobs/" + jobId, null);
            if (job.path("status").asText().equals(status)) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " never reached " + status + ": " + job);
    }
}
