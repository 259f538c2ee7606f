package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The admission queue through the HTTP API, the real state machine and the real handlers: order,
 * the limit, what a waiting job shows, cancel while waiting. The periodic sweep is off (it runs at
 * start only), so every admission here comes from the dispatch of whoever freed a slot or queued a job.
 */
class QueueEndToEndTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(1)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(300)).withSweepEvery(Duration.ZERO));
        api = new ApiCalls(pipeline);
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/queue/clip.mp4").contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @AfterEach
    void drain() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofMillis(300));
        // each test starts with an empty queue and every slot free, whatever the one before left
        QueueDrain.await(pipeline, Duration.ofMinutes(3));
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().get(jobId);
    }

    private static Instant admittedAt(String jobId) {
        return record(jobId).history().stream().filter(c -> c.status() == JobStatus.ADMITTED).findFirst()
                .orElseThrow(() -> new AssertionError(jobId + " was never admitted")).at();
    }

    @Test
    void thirtyJobsUnderALimitOfOneAllSucceedInCreationOrder() throws Exception {
        int scenarioJobsBefore = pipeline.simulator().jobsCreated();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(api.create("inputs/queue/clip.mp4", REQUEST));
        }
        // while they wait: the queue in order, places counted from 1, an ETA
        List<String> waiting = new ArrayList<>();
        api.json("GET", "/jobs?status=WAITING_FOR_SLOT&limit=100", null).path("jobs").forEach(j -> waiting.add(j.path("jobId").asText()));
        assertThat(waiting).isNotEmpty();
        assertThat(ids).containsSubsequence(waiting);
        JsonNode last = api.job(ids.get(29));
        if (last.path("status").asText().equals("WAITING_FOR_SLOT")) {
            // read after the list: jobs may have been admitted in between, never added ahead of it
            assertThat(last.path("queuePosition").asInt()).isBetween(1, waiting.indexOf(ids.get(29)) + 1);
            assertThat(last.path("etaSeconds").asLong()).isPositive();
        }
        for (String id : ids) {
            api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(3));
        }
        List<String> admissionOrder = ids.stream().sorted(Comparator.comparing(QueueEndToEndTest::admittedAt)).toList();
        assertThat(admissionOrder).containsExactlyElementsOf(ids);
        assertThat(pipeline.simulator().peakJobsInFlight()).isEqualTo(1);
        assertThat(pipeline.simulator().jobsCreated() - scenarioJobsBefore).isEqualTo(30);
        for (String id : ids) {
            // waited without a retry: one execution per job, admitted by a dispatch
            assertThat(record(id).executionArn()).endsWith(":" + id);
            assertThat(record(id).history()).extracting(Job.StatusChange::status)
                    .containsSubsequence(JobStatus.WAITING_FOR_SLOT, JobStatus.ADMITTED, JobStatus.UPLOADING, JobStatus.SUCCEEDED);
        }
    }

    @Test
    void aJobCanceledWhileWaitingLeavesTheQueueAndNeverReachesScenario() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofSeconds(3));
        int uploadsBefore = pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD);
        String running = api.create("inputs/queue/clip.mp4", REQUEST);
        String canceled = api.create("inputs/queue/clip.mp4", REQUEST);
        String after = api.create("inputs/queue/clip.mp4", REQUEST);
        JsonNode waiting = api.job(canceled);
        assertThat(waiting.path("status").asText()).isEqualTo("WAITING_FOR_SLOT");
        assertThat(waiting.path("queuePosition").asInt()).isEqualTo(1);
        assertThat(api.job(after).path("queuePosition").asInt()).isEqualTo(2);

        JsonNode answer = api.json("POST", "/jobs/" + canceled + "/cancel", null);
        assertThat(answer.path("status").asText()).isEqualTo("CANCELED");
        assertThat(api.job(after).path("queuePosition").asInt()).isEqualTo(1);

        api.awaitStatus(running, "SUCCEEDED", Duration.ofMinutes(1));
        api.awaitStatus(after, "SUCCEEDED", Duration.ofMinutes(1));
        Job gone = record(canceled);
        assertThat(gone.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(gone.executionArn()).isNull();
        assertThat(gone.scenario().videoAssetId()).isNull();
        assertThat(gone.history()).extracting(Job.StatusChange::status).doesNotContain(JobStatus.ADMITTED);
        assertThat(pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD) - uploadsBefore).isEqualTo(2); // "running" and "after" only
        assertThat(pipeline.services().slots().holders()).isEmpty();
    }
}
