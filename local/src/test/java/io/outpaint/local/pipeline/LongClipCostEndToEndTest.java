package io.outpaint.local.pipeline;

import static io.outpaint.local.testing.VideoChecks.ffmpeg;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.budget.BudgetPeriod;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.media.VideoProbe;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.MediaInfo;
import io.outpaint.media.finish.MediaProbe;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.segments.Segments;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What a long clip costs, through the HTTP API, the real state machine and the real handlers on the local runtime: its
 * estimate is the sum of its segments' (each on its own shape), {@code maxCreativeUnits} is checked against that sum, the
 * parent records the sum as its estimate and shows its segments' billed units summed, and the budget's books count each
 * segment once (the parent holds nothing), equal to what Scenario billed. A job created with an upload URL is checked against
 * its cap again when its long clip lands: above it, it fails before any segment or Scenario job. And a fragmented MP4 (its index empty) over one
 * generation is split like any long clip, its output with exactly its frames. The periodic sweep is off.
 */
class LongClipCostEndToEndTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static final int FPS = 8;
    private static final MediaProbe PROBE = MediaProbe.using(FfmpegPrograms.locate(), Duration.ofMinutes(2));
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(2)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(500)).withSweepEvery(Duration.ZERO)
                .withBudget(new Budget(0, BudgetPeriod.DAY)));
        api = new ApiCalls(pipeline);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().get(jobId);
    }

    /**
     * A clip of {@code seconds} at 8 fps, 4:3, uploaded under inputs/; {@code more} are FFmpeg's output options. A long clip is
     * planned in seconds (a segment lasts at most one generation, 15 s at the model's 16 fps), so at 8 fps it has the
     * segments and the generations' shapes, and so the prices, it has at 24 fps, with a third of the frames to cut, finish
     * and join.
     */
    private static String upload(String name, int seconds, String... more) throws Exception {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "gradients=size=320x240:rate=" + FPS + ":speed=0.02:duration=" + seconds,
                "-c:v", "libopenh264", "-b:v", "2M", "-pix_fmt", "yuv420p"));
        args.addAll(List.of(more));
        args.add(out.toString());
        ffmpeg(args.toArray(String[]::new));
        String key = "inputs/long-cost/" + name;
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(out));
        }
        return key;
    }

    @Test
    void aLongClipCostsTheSumOfItsSegmentsEstimatedBilledAndOnTheBooksOnce() throws Exception {
        String key = upload("thirty.mp4", 30);
        JsonNode estimate = api.json("POST", "/estimate", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + REQUEST + "}");
        JsonNode plan = estimate.path("segments");
        int count = plan.path("count").asInt();
        assertThat(count).as(estimate.toString()).isGreaterThanOrEqualTo(3);
        int sum = 0;
        for (JsonNode segment : plan.path("each")) {
            assertThat(segment.path("creativeUnits").asInt()).isPositive();
            sum += segment.path("creativeUnits").asInt();
        }
        assertThat(estimate.path("creativeUnits").asInt()).isEqualTo(sum);
        // a budget of exactly the sum beyond what the day's books hold already (the other tests' jobs): its segments fit, one
        // after another, as long as the parent holds nothing of its own
        String day = BudgetPeriod.DAY.of(java.time.Instant.now());
        BudgetLedger.Books before = pipeline.services().budgets().ledger().books(day);
        assertThat(before.reserved()).isZero();
        pipeline.budget(Optional.of(new Budget(before.spent() + sum, BudgetPeriod.DAY)));

        // a cap one unit under the sum is refused, naming the sum; nothing is created
        int jobsBefore = pipeline.services().jobs().list(Optional.empty(), 100, Optional.empty()).jobs().size();
        HttpResponse<String> capped = api.call("POST", "/jobs", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + REQUEST
                + ",\"maxCreativeUnits\":" + (sum - 1) + "}");
        assertThat(capped.statusCode()).as(capped.body()).isEqualTo(400);
        assertThat(capped.body()).contains("OVER_MAX_CREATIVE_UNITS").contains("the estimate is " + sum + " creative units (the sum of its "
                + count + " segments')");
        assertThat(pipeline.services().jobs().list(Optional.empty(), 100, Optional.empty()).jobs()).hasSize(jobsBefore);

        HttpResponse<String> created = api.call("POST", "/jobs", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + REQUEST
                + ",\"maxCreativeUnits\":" + sum + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = ApiCallsJson.read(created.body()).path("jobId").asText();
        JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(6));

        Job parent = record(id);
        assertThat(parent.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.ADMITTED, JobStatus.SPLITTING,
                JobStatus.RENDERING_SEGMENTS, JobStatus.JOINING, JobStatus.SUCCEEDED);
        assertThat(Segments.count(parent)).isEqualTo(count);
        assertThat(parent.billingOrNone().estimate()).as("recorded at creation: the sum").isEqualTo(sum);
        assertThat(parent.billingOrNone().budgetPeriod()).as("the parent held nothing on the books").isNull();
        // what Scenario billed for each segment, asked of Scenario itself
        int billedByScenario = 0;
        int billedOnSegments = 0;
        String today = null;
        for (String segmentId : Segments.jobIds(parent)) {
            Job segment = record(segmentId);
            assertThat(segment.status()).isEqualTo(JobStatus.SUCCEEDED);
            ScenarioJob scenarioJob = pipeline.services().scenario().getJob(segment.scenario().jobId());
            billedByScenario += scenarioJob.billing().orElseThrow().billed(scenarioJob.status());
            billedOnSegments += segment.billing().billed();
            today = segment.billing().budgetPeriod();
            assertThat(today).as("each segment held its own units").isNotNull();
        }
        assertThat(billedByScenario).isPositive();
        assertThat(billedOnSegments).isEqualTo(billedByScenario);
        // the parent's view: its estimate and its billed units, both sums
        assertThat(done.path("billing").path("estimate").asInt()).isEqualTo(sum);
        assertThat(done.path("billing").path("billed").asInt()).isEqualTo(billedByScenario);
        // the books: spent is what Scenario billed, each segment once, nothing left reserved
        assertThat(today).isEqualTo(day);
        assertThat(pipeline.services().budgets().ledger().books(today))
                .isEqualTo(new BudgetLedger.Books(today, before.spent() + billedByScenario, 0, 0));
        assertThat(pipeline.services().budgets().ledger().holds(today)).isEmpty();
    }

    @Test
    void aLongClipUploadedThroughItsUploadUrlIsPricedAsItsSegmentsWhenItLandsAndHoldsNothingItself() throws Exception {
        String request = "{\"prompt\":\"p\",\"resolution\":\"480p\",\"matchInputNumFrames\":true}";
        String key = upload("uploaded.mp4", 30);
        int sum = api.json("POST", "/estimate", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + request + "}")
                .path("creativeUnits").asInt();
        pipeline.budget(Optional.of(new Budget(1_000_000, BudgetPeriod.DAY)));
        // its frames come from a video not here yet: no estimate at creation
        JsonNode created = api.json("POST", "/jobs", "{\"video\":{\"upload\":{\"fileName\":\"uploaded.mp4\",\"contentType\":\"video/mp4\"}},"
                + "\"request\":" + request + "}");
        String id = created.path("jobId").asText();
        assertThat(created.path("billing").has("estimate")).as(created.toString()).isFalse();
        land(created, "uploaded.mp4");
        api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(6));

        Job parent = record(id);
        assertThat(parent.history()).extracting(Job.StatusChange::status).contains(JobStatus.SPLITTING);
        assertThat(parent.billingOrNone().estimate()).as("priced when it landed: its segments' sum").isEqualTo(sum);
        assertThat(parent.billingOrNone().budgetPeriod()).as("the parent held nothing on the books").isNull();
    }

    @Test
    void aLongClipOverItsCapThatLandsThroughItsUploadUrlFailsBeforeAnySegmentOrScenarioJob() throws Exception {
        pipeline.budget(Optional.empty());
        String key = upload("capped.mp4", 30);
        JsonNode estimate = api.json("POST", "/estimate", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + REQUEST + "}");
        int sum = estimate.path("creativeUnits").asInt();
        int count = estimate.path("segments").path("count").asInt();
        assertThat(count).as(estimate.toString()).isGreaterThanOrEqualTo(3);
        // at creation the cap is checked on the request's frames (one generation of 81): one unit under the clip's sum passes
        int cap = sum - 1;
        JsonNode created = api.json("POST", "/jobs", "{\"video\":{\"upload\":{\"fileName\":\"capped.mp4\",\"contentType\":\"video/mp4\"}},"
                + "\"request\":" + REQUEST + ",\"maxCreativeUnits\":" + cap + "}");
        String id = created.path("jobId").asText();
        assertThat(created.path("billing").path("estimate").asInt()).as(created.toString()).isLessThanOrEqualTo(cap);
        assertThat(created.path("billing").path("maxCreativeUnits").asInt()).as("the cap is kept on the job").isEqualTo(cap);
        int scenarioJobs = pipeline.simulator().jobsCreated();
        int scenarioUploads = pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD);

        land(created, "capped.mp4");

        JsonNode failed = api.awaitStatus(id, "FAILED", Duration.ofMinutes(1));
        assertThat(failed.path("error").path("code").asText()).as(failed.toString()).isEqualTo("OVER_MAX_CREATIVE_UNITS");
        assertThat(failed.path("error").path("message").asText()).startsWith("the estimate is " + sum + " creative units (the sum of its "
                + count + " segments'), above maxCreativeUnits " + cap + "; priced when the video landed");
        assertThat(failed.path("error").path("hint").asText()).contains("POST /uploads");
        Job job = record(id);
        assertThat(job.history()).extracting(Job.StatusChange::status).as("failed where it waited for its video")
                .containsExactly(JobStatus.QUEUED, JobStatus.FAILED);
        assertThat(job.segments()).as("no segment planned or created").isNull();
        assertThat(job.scenario().videoAssetId()).isNull();
        assertThat(pipeline.simulator().jobsCreated()).as("no Scenario job").isEqualTo(scenarioJobs);
        assertThat(pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD)).as("the video was not sent to Scenario")
                .isEqualTo(scenarioUploads);
        assertThat(pipeline.cloud().stepFunctions().listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn())).executions())
                .as("no execution").noneMatch(e -> e.name().equals(id));
        assertThat(pipeline.services().jobs().find(Segments.jobId(id, 0, 1))).as("no segment job").isEmpty();
    }

    @Test
    void aLongClipWithinItsCapThatLandsThroughItsUploadUrlGoesOnWithItsSegmentsSumAsItsEstimate() throws Exception {
        pipeline.budget(Optional.empty());
        String key = upload("within.mp4", 16);
        JsonNode estimate = api.json("POST", "/estimate", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + REQUEST + "}");
        int sum = estimate.path("creativeUnits").asInt();
        int count = estimate.path("segments").path("count").asInt();
        assertThat(count).as(estimate.toString()).isEqualTo(2);
        JsonNode created = api.json("POST", "/jobs", "{\"video\":{\"upload\":{\"fileName\":\"within.mp4\",\"contentType\":\"video/mp4\"}},"
                + "\"request\":" + REQUEST + ",\"maxCreativeUnits\":" + sum + "}");
        String id = created.path("jobId").asText();
        assertThat(created.path("billing").path("estimate").asInt()).as("priced on the request's 81 frames").isLessThan(sum);

        land(created, "within.mp4");

        JsonNode done = api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(6));
        Job parent = record(id);
        assertThat(parent.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.QUEUED,
                JobStatus.WAITING_FOR_SLOT, JobStatus.ADMITTED, JobStatus.SPLITTING, JobStatus.RENDERING_SEGMENTS, JobStatus.SUCCEEDED);
        assertThat(Segments.count(parent)).isEqualTo(count);
        assertThat(done.path("billing").path("estimate").asInt()).as("priced when it landed: its segments' sum").isEqualTo(sum);
        assertThat(done.path("billing").path("maxCreativeUnits").asInt()).isEqualTo(sum);
    }

    /** Puts the clip {@code name} to the upload URL {@code created} handed out, and waits until the job no longer waits for it. */
    private static void land(JsonNode created, String name) throws Exception {
        String id = created.path("jobId").asText();
        HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(created.path("upload").path("url").asText())).header("Content-Type", "video/mp4")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(dir.resolve(name))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        // the S3 trigger is off here: the sweep finds the landed upload, once the job has waited longer than an S3 event takes
        java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofMinutes(2));
        while (record(id).status() == JobStatus.QUEUED && java.time.Instant.now().isBefore(deadline)) {
            pipeline.sweep();
            Thread.sleep(500);
        }
    }

    @Test
    void aFragmentedMp4OverOneGenerationIsSplitAndItsOutputHasExactlyItsFrames() throws Exception {
        pipeline.budget(Optional.empty());
        // an index with no samples: each fragment lists its own, as streaming muxers write them
        String key = upload("fragmented.mp4", 20, "-g", "24", "-movflags", "frag_keyframe+empty_moov");
        Path local = dir.resolve("fragmented.mp4");
        MediaInfo in = PROBE.probe(local);
        assertThat(in.frames()).isEqualTo(20 * FPS);

        String id = api.create(key, REQUEST);
        api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(6));

        Job parent = record(id);
        assertThat(parent.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.SPLITTING,
                JobStatus.RENDERING_SEGMENTS, JobStatus.JOINING, JobStatus.SUCCEEDED);
        assertThat(parent.scenario().jobId()).as("not sent to Scenario whole").isNull();
        assertThat(Segments.count(parent)).isGreaterThanOrEqualTo(2);
        assertThat(Segments.plan(parent).path("sourceFrames").asLong()).isEqualTo(20 * FPS);
        for (String segmentId : Segments.jobIds(parent)) {
            assertThat(record(segmentId).request().path("numFrames").asInt()).isLessThanOrEqualTo(241);
        }
        Job.Output video = parent.outputs().get(0);
        Path finished = dir.resolve(id + ".mp4");
        try (var s3 = pipeline.cloud().s3()) {
            Files.write(finished, s3.getObjectAsBytes(b -> b.bucket(video.bucket()).key(video.key())).asByteArray());
        }
        MediaInfo out = PROBE.probe(finished);
        assertThat(out.frames()).isEqualTo(20 * FPS);
        assertThat(out.fps().value()).isEqualTo(in.fps().value());
        assertThat(VideoProbe.probe(local).frames()).as("the probe counted its fragments").isEqualTo(20 * FPS);
    }

    /** JSON of an answer's body. */
    private static final class ApiCallsJson {
        static JsonNode read(String body) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        }
    }
}
