package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.lambda.HandlerInvoker;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Each function invoked with its sample event from {@code events/}, through the local Lambda
 * runtime, one step after another as the state machine would call them.
 */
class HandlerEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPipeline pipeline;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withJobDuration(Duration.ofMillis(800)));
        Path video = dir.resolve("sample.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/sample.mp4").contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static ObjectNode event(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Path.of("..", "events", name)));
    }

    private static JsonNode invoke(PipelineFunction function, JsonNode event) throws Exception {
        return JSON.readTree(pipeline.cloud().functions().invoke(function.localName(), JSON.writeValueAsBytes(event)));
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().find(jobId).orElseThrow();
    }

    @Test
    void eachStepOfAJobFromItsSampleEvent() throws Exception {
        JsonNode admitted = invoke(PipelineFunction.ADMIT, event("admit.json"));
        assertThat(admitted.path("outcome").asText()).isEqualTo("ADMITTED");
        assertThat(record("sample-job").status()).isEqualTo(JobStatus.ADMITTED);

        JsonNode uploaded = invoke(PipelineFunction.UPLOAD_INPUT, event("upload-input.json"));
        assertThat(uploaded.path("jobId").asText()).isEqualTo("sample-job");
        assertThat(record("sample-job").scenario().videoAssetId()).startsWith("asset_");
        assertThat(record("sample-job").status()).isEqualTo(JobStatus.UPLOADING);

        JsonNode submitted = invoke(PipelineFunction.SUBMIT, event("submit.json"));
        assertThat(submitted.path("outcome").asText()).isEqualTo("RUNNING");
        assertThat(submitted.path("nextDelaySeconds").asInt()).isPositive();
        assertThat(record("sample-job").scenario().jobId()).startsWith("job_");

        // the sample's times are fixed; a check made now carries the submission's real time
        ObjectNode check = event("check-status.json");
        check.put("submittedAtMillis", submitted.path("submittedAtMillis").asLong());
        JsonNode checked = invoke(PipelineFunction.CHECK_STATUS, check);
        Instant deadline = Instant.now().plusSeconds(30);
        while (checked.path("outcome").asText().equals("RUNNING") && Instant.now().isBefore(deadline)) {
            assertThat(checked.path("nextDelaySeconds").asInt()).isPositive();
            Thread.sleep(200);
            check.set("observation", checked.path("observation"));
            checked = invoke(PipelineFunction.CHECK_STATUS, check);
        }
        assertThat(checked.path("outcome").asText()).isEqualTo("SCENARIO_SUCCEEDED");

        JsonNode copied = invoke(PipelineFunction.COPY_RESULTS, event("copy-results.json"));
        assertThat(copied.path("outcome").asText()).isEqualTo("COPIED");
        assertThat(copied.has("ended")).as("finishing ends it").isFalse();
        assertThat(record("sample-job").status()).isEqualTo(JobStatus.FINISHING);

        JsonNode finished = invoke(PipelineFunction.FINISH, event("finish.json"));
        assertThat(finished.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("ended").asText()).isEqualTo("SUCCEEDED");
        Job done = record("sample-job");
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(invoke(PipelineFunction.NOTIFY, event("notify.json")).path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.outputs()).extracting(Job.Output::key).containsExactly("outputs/sample-job/outpaint.mp4",
                "outputs/sample-job/raw.mp4", "outputs/sample-job/poster.jpg");
        assertThat(done.outputs()).allSatisfy(o -> assertThat(o.bytes()).isPositive());
    }

    @Test
    void eachFunctionRunsWithOnlyTheEnvironmentItsCatalogueEntryGivesIt() {
        for (PipelineFunction function : PipelineFunction.values()) {
            var config = pipeline.configOf(function);
            assertThat(config.hasScenarioCredentials()).as(function + " holds Scenario's key")
                    .isEqualTo(function.needs(PipelineFunction.Need.SCENARIO));
            assertThat(config.stateMachineArn().isPresent()).as(function + " may start executions")
                    .isEqualTo(function.needs(PipelineFunction.Need.START_EXECUTIONS));
            assertThat(config.webhookSecret().isPresent()).as(function + " holds the webhook secret")
                    .isEqualTo(function.needs(PipelineFunction.Need.WEBHOOK_SECRET));
        }
    }

    @Test
    void theApiAndTheUploadTriggerTakeTheirSampleEvents() throws Exception {
        JsonNode answer = JSON.readTree(pipeline.cloud().functions().invoke(LocalPipeline.API,
                Files.readAllBytes(Path.of("..", "events", "api-create-job.json"))));
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(202);
        String jobId = JSON.readTree(answer.path("body").asText()).path("jobId").asText();
        assertThat(jobId).startsWith("api-");
        assertThat(record(jobId).source().key()).isEqualTo("inputs/sample.mp4");

        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/dropped/street scene.mp4").contentType("video/mp4"),
                    RequestBody.fromFile(dir.resolve("sample.mp4")));
        }
        JsonNode outcomes = JSON.readTree(pipeline.cloud().functions().invoke(LocalPipeline.UPLOAD_TRIGGER,
                Files.readAllBytes(Path.of("..", "events", "s3-object-created.json"))));
        assertThat(outcomes.get(0).asText()).isEqualTo("STARTED");
        String triggered = io.outpaint.pipeline.UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/dropped/street scene.mp4",
                "d41d8cd98f00b204e9800998ecf8427e");
        assertThat(record(triggered).source().key()).isEqualTo("inputs/dropped/street scene.mp4"); // the key, URL-decoded
    }

    @Test
    void aClipLongerThanTheDeploymentTakesFailsUploadInputBeforeAnythingIsSentToScenario() throws Exception {
        // 601 frames at 1 fps: a second over MAX_INPUT_SECONDS' default of 600
        Path clip = dir.resolve("long.mp4");
        Mp4Video.write(clip, 64, 48, 601, 1, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/long.mp4").contentType("video/mp4"), RequestBody.fromFile(clip));
        }
        ObjectNode admit = event("admit.json");
        admit.put("jobId", "sample-job-too-long");
        ((ObjectNode) admit.path("previous").path("video")).put("key", "inputs/long.mp4");
        invoke(PipelineFunction.ADMIT, admit); // admitted, or waiting for a slot the other tests' jobs hold: the record exists
        JobStatus before = record("sample-job-too-long").status();

        ObjectNode upload = event("upload-input.json");
        upload.put("jobId", "sample-job-too-long");
        HandlerInvoker.FunctionError error = catchThrowableOfType(HandlerInvoker.FunctionError.class,
                () -> invoke(PipelineFunction.UPLOAD_INPUT, upload));
        assertThat(error.errorType()).isEqualTo("io.outpaint.media.InvalidInputException");
        assertThat(error.getMessage()).contains("the clip lasts 601.0 s", "MAX_INPUT_SECONDS");
        Job job = record("sample-job-too-long");
        assertThat(job.status()).as("never uploading").isEqualTo(before).isNotEqualTo(JobStatus.UPLOADING);
        assertThat(job.scenario().videoAssetId()).as("nothing sent to Scenario").isNull();
    }

    @Test
    void aMissingVideoFailsUploadInputAndRecordFailureRecordsWhy() throws Exception {
        ObjectNode upload = event("admit.json");
        upload.put("jobId", "sample-job-missing-video");
        ((ObjectNode) upload.path("previous").path("video")).put("key", "inputs/missing.mp4");
        HandlerInvoker.FunctionError error = catchThrowableOfType(HandlerInvoker.FunctionError.class,
                () -> invoke(PipelineFunction.ADMIT, upload));
        assertThat(error.errorType()).isEqualTo("io.outpaint.media.InvalidInputException");

        JsonNode ended = invoke(PipelineFunction.RECORD_FAILURE, event("record-failure.json"));
        assertThat(ended.path("outcome").asText()).isEqualTo("FAILED");
        Job job = record("sample-job-missing-video");
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_INPUT");
        assertThat(job.error().message()).isEqualTo("no object inputs/missing.mp4 in bucket outpaint-local");
    }
}
