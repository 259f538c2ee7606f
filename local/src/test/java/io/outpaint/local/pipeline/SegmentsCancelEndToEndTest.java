package io.outpaint.local.pipeline;

import static io.outpaint.local.testing.VideoChecks.calmClip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.segments.Segments;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * A long clip canceled mid-way, through the real state machine on the local runtime at a limit of one slot: its
 * first segment is generating at Scenario (a job the simulator never ends) and the others wait for the slot. The
 * cancel takes the waiting ones out of the queue and stops the generating one's execution; nothing of the clip
 * waits or starts afterwards, the slot is free, and the next job is admitted and succeeds.
 */
class SegmentsCancelEndToEndTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"16:9\"}}";
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    private static SfnClient sfn;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(1)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(500)));
        api = new ApiCalls(pipeline);
        sfn = pipeline.cloud().stepFunctions();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aParentCanceledWhileASegmentGeneratesLeavesNothingWaitingAndTheNextJobIsAdmitted() throws Exception {
        // the first segment's Scenario job never ends: it is generating when the cancel comes, the other two wait behind it
        pipeline.simulator().faults().stuckJobs(true);
        // (at 8 fps: the three segments it has at 24, a third of the frames for Split to cut)
        String parentId = api.create(put("long.mp4", calmClip(dir.resolve("long.mp4"), 32, 8)), REQUEST);
        JsonNode midway = api.await(parentId, j -> j.path("segments").path("items").size() == 3
                && List.of("SUBMITTED", "RUNNING").contains(j.path("segments").path("items").get(0).path("status").asText()),
                Duration.ofMinutes(3));
        Job parent = pipeline.services().jobs().get(parentId);
        List<String> segmentIds = Segments.jobIds(parent);
        assertThat(segmentIds).hasSize(3);
        assertThat(pipeline.services().jobs().waiting(100)).as(midway.toString()).extracting(Job::jobId)
                .contains(segmentIds.get(1), segmentIds.get(2));
        Job generating = pipeline.services().jobs().get(segmentIds.get(0));
        assertThat(generating.scenario().jobId()).isNotNull();
        assertThat(pipeline.services().slots().holders()).containsExactly(segmentIds.get(0));

        Instant canceledAt = Instant.now();
        HttpResponse<String> cancel = api.call("POST", "/jobs/" + parentId + "/cancel", null);
        pipeline.simulator().faults().clear();
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cancel.body());
        assertThat(answer.path("status").asText()).isEqualTo("CANCELED");
        assertThat(answer.path("note").asText()).contains("those waiting left the queue")
                .contains("the 1 segment(s) it was generating may still finish and be billed");

        // every segment ended CANCELED: the generating one with its Scenario job, the waiting ones never sent
        for (String id : segmentIds) {
            Job segment = pipeline.services().jobs().get(id);
            assertThat(segment.status()).as(id).isEqualTo(JobStatus.CANCELED);
            assertThat(segment.history()).extracting(Job.StatusChange::status).as(id).doesNotContain(JobStatus.SUCCEEDED);
        }
        assertThat(pipeline.services().jobs().get(segmentIds.get(0)).history()).extracting(Job.StatusChange::status)
                .contains(JobStatus.SUBMITTED).last().isEqualTo(JobStatus.CANCELED);
        for (String id : segmentIds.subList(1, 3)) {
            Job waited = pipeline.services().jobs().get(id);
            assertThat(waited.scenario().jobId()).as(id + " never reached Scenario").isNull();
            assertThat(waited.history()).extracting(Job.StatusChange::status).as(id).doesNotContain(JobStatus.ADMITTED);
        }
        // the generating segment's execution was stopped, not left polling Scenario
        assertThat(sfn.describeExecution(b -> b.executionArn(generating.executionArn())).statusAsString()).isEqualTo("ABORTED");
        assertThat(pipeline.services().jobs().waiting(100)).extracting(Job::jobId).noneMatch(id -> id.startsWith(parentId));
        assertThat(pipeline.services().slots().holders()).as("the slot is free").isEmpty();

        // the next job is admitted to the freed slot and succeeds (its Scenario job ends as usual)
        String next = api.create(put("short.mp4", calmClip(dir.resolve("short.mp4"), 4)), "{\"prompt\":\"p\",\"resolution\":\"480p\"}");
        JsonNode done = api.await(next, j -> List.of("SUCCEEDED", "FAILED", "CANCELED", "TIMED_OUT").contains(j.path("status").asText()),
                Duration.ofMinutes(3));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("history").findValuesAsText("status")).contains("ADMITTED", "SUBMITTED");

        // with the next job through the queue after it, nothing of the canceled clip was started, waits, or holds a slot
        List<ExecutionListItem> afterCancel = sfn.listExecutionsPaginator(b -> b.stateMachineArn(pipeline.stateMachineArn()))
                .executions().stream().filter(e -> e.name().startsWith(parentId)).filter(e -> e.startDate().isAfter(canceledAt)).toList();
        assertThat(afterCancel).as("executions of the canceled clip started after the cancel").isEmpty();
        assertThat(pipeline.services().jobs().waiting(100)).extracting(Job::jobId).noneMatch(id -> id.startsWith(parentId));
        for (String id : segmentIds) {
            assertThat(pipeline.services().jobs().get(id).status()).as(id).isEqualTo(JobStatus.CANCELED);
        }
        assertThat(pipeline.services().jobs().get(parentId).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(pipeline.services().slots().holders()).isEmpty();
        assertThat(pipeline.simulator().jobsCreated()).as("Scenario got the generating segment and the next job only").isEqualTo(2);
    }

    /** Puts the clip under inputs/ as a client's upload would; its key. */
    private static String put(String name, Path clip) {
        String key = "inputs/cancel/" + name;
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(clip));
        }
        return key;
    }
}
