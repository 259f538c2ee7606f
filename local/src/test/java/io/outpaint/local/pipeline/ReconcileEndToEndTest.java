package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.local.testing.FailingExecutions;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * A job's life beyond one execution, on the local runtime: executions that end outside the state
 * machine's own paths are reconciled from the status-change events, a vanished execution is
 * resumed by the sweep, and a StartExecution that fails leaves a job that still runs.
 */
class ReconcileEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static final String KEY = "inputs/reconcile/clip.mp4";
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    private static Path video;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(1)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(300)).withSweepEvery(Duration.ZERO)
                .withDecorator(s -> s.config().stateMachineArn().isPresent() ? s.withExecutions(new FailingExecutions(s.executions())) : s));
        api = new ApiCalls(pipeline);
        video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        put(KEY);
    }

    private static void put(String key) {
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @AfterEach
    void reset() {
        FailingExecutions.FAILURES.set(0);
        pipeline.simulator().jobDuration(Duration.ofMillis(300));
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().get(jobId);
    }

    private static JsonNode awaitScenarioJob(String jobId) throws Exception {
        return api.await(jobId, j -> record(jobId).scenario().jobId() != null, Duration.ofMinutes(1));
    }

    @Test
    void stoppingARunningExecutionCancelsTheJobAndGivesItsSlotToTheNext() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofSeconds(30));
        String stopped = api.create(KEY, REQUEST);
        awaitScenarioJob(stopped);
        pipeline.simulator().jobDuration(Duration.ofMillis(300));
        String next = api.create(KEY, REQUEST);
        assertThat(api.job(next).path("status").asText()).isEqualTo("WAITING_FOR_SLOT");
        String arn = record(stopped).executionArn();
        try (var sfn = pipeline.cloud().stepFunctions()) {
            sfn.stopExecution(b -> b.executionArn(arn).error("Stopped").cause("stopped from the console"));
        }
        JsonNode canceled = api.awaitStatus(stopped, "CANCELED", Duration.ofMinutes(1));
        assertThat(canceled.path("error").path("code").asText()).isEqualTo("EXECUTION_ABORTED");
        assertThat(canceled.path("error").path("message").asText()).contains("stopped from the console").contains("may still finish");
        api.awaitStatus(next, "SUCCEEDED", Duration.ofMinutes(1));
        assertThat(pipeline.services().slots().holders()).isEmpty();
    }

    @Test
    void anExecutionThatTimesOutEndsTheJobTimedOutAndFreesItsSlot() throws Exception {
        // the real definition with a 3 s execution timeout, deployed beside the real one
        ObjectNode definition = (ObjectNode) JSON.readTree(LocalPipeline.definition());
        definition.put("TimeoutSeconds", 3);
        String machine;
        try (var sfn = pipeline.cloud().stepFunctions()) {
            machine = sfn.createStateMachine(b -> b.name("outpaint-short").definition(definition.toString())
                    .roleArn("arn:aws:iam::000000000000:role/outpaint-local")).stateMachineArn();
            pipeline.simulator().jobDuration(Duration.ofSeconds(60));
            String jobId = "short-" + UUID.randomUUID();
            ObjectNode input = JSON.createObjectNode();
            input.putObject("video").put("bucket", LocalPipeline.BUCKET).put("key", KEY);
            input.set("request", JSON.readTree(REQUEST));
            sfn.startExecution(b -> b.stateMachineArn(machine).name(jobId).input(input.toString()));
            JsonNode timedOut = api.awaitStatus(jobId, "TIMED_OUT", Duration.ofMinutes(1));
            assertThat(timedOut.path("error").path("code").asText()).isEqualTo("EXECUTION_TIMED_OUT");
            assertThat(record(jobId).history()).extracting(Job.StatusChange::status).contains(JobStatus.ADMITTED);
        }
        assertThat(pipeline.services().slots().holders()).isEmpty();
    }

    @Test
    void theSweepResumesAJobWhoseExecutionVanishedWithoutASecondScenarioJob() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofSeconds(4));
        int scenarioJobs = pipeline.simulator().jobsCreated();
        String jobId = api.create(KEY, REQUEST);
        awaitScenarioJob(jobId);
        String first = record(jobId).executionArn();
        pipeline.restartStepFunctions(); // every execution is gone
        try (var sfn = pipeline.cloud().stepFunctions()) {
            assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(first))).isInstanceOf(ExecutionDoesNotExistException.class);
        }
        assertThat(pipeline.sweep()).contains(jobId);
        api.awaitStatus(jobId, "SUCCEEDED", Duration.ofMinutes(1));
        assertThat(record(jobId).executionArn()).isEqualTo(first + "-r2");
        assertThat(pipeline.simulator().jobsCreated() - scenarioJobs).isEqualTo(1);
        // resumed while finishing or before: finished once, the result first
        assertThat(record(jobId).outputs()).extracting(Job.Output::key).containsExactly("outputs/" + jobId + "/outpaint.mp4",
                "outputs/" + jobId + "/raw.mp4", "outputs/" + jobId + "/poster.jpg");
    }

    @Test
    void theSweepAdmitsAJobWhoseWakeUpWasLost() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofSeconds(2));
        String first = api.create(KEY, REQUEST);
        String second = api.create(KEY, REQUEST);
        assertThat(api.job(second).path("status").asText()).isEqualTo("WAITING_FOR_SLOT");
        // from here every start fails: the dispatches made as "first" gives its slot back cannot start "second"
        FailingExecutions.FAILURES.set(1_000);
        api.awaitStatus(first, "SUCCEEDED", Duration.ofMinutes(1));
        Thread.sleep(1_000);
        assertThat(record(second).status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(record(second).executionArn()).isNull();
        assertThat(FailingExecutions.FAILURES.get()).isLessThan(1_000); // the wake-up came, and was lost
        FailingExecutions.FAILURES.set(0);
        assertThat(pipeline.sweep()).contains("\"resumed\":[]");
        api.awaitStatus(second, "SUCCEEDED", Duration.ofMinutes(1));
        assertThat(record(second).executionArn()).endsWith(":" + second);
    }

    /** This runtime has no upload trigger: every upload's S3 event is lost, as one can be on AWS. */
    @Test
    void theSweepFindsTheUploadOfAnApiJobWhoseEventWasLostAndRunsIt() throws Exception {
        String body = "{\"video\":{\"upload\":{\"fileName\":\"%s\",\"contentType\":\"video/mp4\"}},\"request\":" + REQUEST + "}";
        JsonNode landed = api.json("POST", "/jobs", String.format(body, "clip.mp4"));
        JsonNode notVideo = api.json("POST", "/jobs", String.format(body, "notes.mp4"));
        JsonNode never = api.json("POST", "/jobs", String.format(body, "later.mp4"));
        var http = java.net.http.HttpClient.newHttpClient();
        for (var put : java.util.Map.of(landed, java.net.http.HttpRequest.BodyPublishers.ofFile(video),
                notVideo, java.net.http.HttpRequest.BodyPublishers.ofString("just some text")).entrySet()) {
            var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(put.getKey().path("upload").path("url").asText()))
                    .header("Content-Type", "video/mp4").PUT(put.getValue()).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(answer.statusCode()).isEqualTo(200);
        }
        String landedId = landed.path("jobId").asText();
        assertThat(api.job(landedId).path("status").asText()).isEqualTo("QUEUED");
        // the grace an event has (2 minutes on AWS; scaled here as Wait and Retry are) runs out
        Thread.sleep(1_500);
        JsonNode report = JSON.readTree(pipeline.sweep());
        assertThat(report.path("uploadsFound")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(landedId, notVideo.path("jobId").asText());
        api.awaitStatus(landedId, "SUCCEEDED", Duration.ofMinutes(1));
        assertThat(record(landedId).history()).extracting(Job.StatusChange::status)
                .containsSubsequence(JobStatus.QUEUED, JobStatus.WAITING_FOR_SLOT, JobStatus.ADMITTED, JobStatus.SUCCEEDED);
        // the lost event arrives after all: the job has its upload already, no second job is made for the key
        String landedKey = record(landedId).source().key();
        assertThat(new UploadTrigger(pipeline.services()).onObjectCreated(LocalPipeline.BUCKET, landedKey, null, "late"))
                .isEqualTo(UploadTrigger.Outcome.DUPLICATE);
        assertThat(pipeline.services().jobs().find(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, landedKey, "late"))).isEmpty();
        JsonNode refused = api.job(notVideo.path("jobId").asText());
        assertThat(refused.path("status").asText()).isEqualTo("FAILED");
        assertThat(refused.path("error").path("message").asText()).contains("is not a video");
        // no upload, nothing to hand on: it waits for its upload (or its record's expiry)
        assertThat(api.job(never.path("jobId").asText()).path("status").asText()).isEqualTo("QUEUED");
        assertThat(JSON.readTree(pipeline.sweep()).path("uploadsFound")).isEmpty();
    }

    @Test
    void aJobWhoseStartFailedRunsWhenTheSameIdempotencyKeyIsSentAgain() throws Exception {
        FailingExecutions.FAILURES.set(1);
        String key = UUID.randomUUID().toString();
        String body = "{\"video\":{\"key\":\"" + KEY + "\"},\"request\":" + REQUEST + "}";
        JsonNode first = api.json("POST", "/jobs", body, "Idempotency-Key", key);
        String jobId = first.path("jobId").asText();
        assertThat(first.path("status").asText()).isEqualTo("WAITING_FOR_SLOT");
        assertThat(FailingExecutions.FAILURES.get()).isZero(); // the start was tried, and failed
        assertThat(record(jobId).executionArn()).isNull();
        JsonNode again = api.json("POST", "/jobs", body, "Idempotency-Key", key);
        assertThat(again.path("jobId").asText()).isEqualTo(jobId);
        api.awaitStatus(jobId, "SUCCEEDED", Duration.ofMinutes(1));
        assertThat(record(jobId).executionArn()).endsWith(":" + jobId);
    }

    @Test
    void aRedeliveredS3EventRunsTheJobWhoseStartFailed() throws Exception {
        String key = "inputs/reconcile/dropped-" + UUID.randomUUID() + ".mp4";
        put(key);
        FailingExecutions.FAILURES.set(1);
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("..", "events", "s3-object-created.json")));
        ObjectNode object = (ObjectNode) event.path("Records").get(0).path("s3").path("object");
        object.put("key", key).put("eTag", "e-" + UUID.randomUUID());
        byte[] bytes = JSON.writeValueAsBytes(event);
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, object.path("eTag").asText());
        assertThat(JSON.readTree(pipeline.cloud().functions().invoke(LocalPipeline.UPLOAD_TRIGGER, bytes)).get(0).asText()).isEqualTo("STARTED");
        assertThat(record(jobId).status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(record(jobId).executionArn()).isNull();
        assertThat(JSON.readTree(pipeline.cloud().functions().invoke(LocalPipeline.UPLOAD_TRIGGER, bytes)).get(0).asText()).isEqualTo("DUPLICATE");
        api.awaitStatus(jobId, "SUCCEEDED", Duration.ofMinutes(1));
    }
}
