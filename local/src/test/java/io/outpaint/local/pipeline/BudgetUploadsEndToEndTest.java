package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetPeriod;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.simulator.Route;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Five videos dropped in the bucket under a budget, through the upload trigger, the real state machine and
 * the real handlers: each is priced as it is queued (no upload of it), held as WAITING_FOR_BUDGET while the
 * budget is spent, with nothing sent to Scenario and no execution; with room for two, two run, one of them
 * fails at Scenario and its refund admits the third (the others still held, in order); a raise admits the
 * rest in order; the books, as GET /usage shows them, balance against the jobs. Slots are plenty (5) and the
 * periodic sweep is off: only the budget holds jobs back, and the test's own sweeps stand for a raise's.
 */
class BudgetUploadsEndToEndTest {

    private static final String PREFIX = "inputs/budget-uploads/";
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    private static Path video;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withLimit(5).withTime(0.01, 100)
                .withJobDuration(Duration.ofSeconds(3)).withSweepEvery(Duration.ZERO).withBudget(new Budget(0, BudgetPeriod.DAY)));
        api = new ApiCalls(pipeline);
        video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().get(jobId);
    }

    private static Instant when(String jobId, JobStatus status) {
        return record(jobId).history().stream().filter(c -> c.status() == status).findFirst()
                .orElseThrow(() -> new AssertionError(jobId + " was never " + status + ": " + record(jobId).history())).at();
    }

    /** Drops a video in the bucket as a user would; the job its event made, once it waits in the queue. */
    private static String upload(int i) throws Exception {
        String key = PREFIX + "clip-" + i + ".mp4";
        String version;
        try (var s3 = pipeline.cloud().s3()) {
            version = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4")
                    .metadata(Map.of("prompt", "p", "resolution", "480p")), RequestBody.fromFile(video)).versionId();
        }
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, version);
        Instant deadline = Instant.now().plusSeconds(60);
        while (pipeline.services().jobs().find(jobId).filter(j -> j.status() == JobStatus.WAITING_FOR_BUDGET).isEmpty()) {
            assertThat(Instant.now()).as("job " + jobId + " of " + key + " waiting").isBefore(deadline);
            Thread.sleep(100);
        }
        return jobId;
    }

    @Test
    void fiveUploadsRunTwoHoldThreeARefundAdmitsTheThirdAndARaiseTheRestInOrder() throws Exception {
        try (var s3 = pipeline.cloud().s3()) { // a video beside the uploads, for the price of their shape
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/staged/probe/clip.mp4").contentType("video/mp4"),
                    RequestBody.fromFile(video));
        }
        int estimate = api.json("POST", "/estimate", "{\"video\":{\"key\":\"inputs/staged/probe/clip.mp4\"},\"request\":"
                + "{\"prompt\":\"p\",\"resolution\":\"480p\"}}").path("creativeUnits").asInt();
        assertThat(estimate).isPositive();
        int uploadsBefore = pipeline.simulator().count(Route.CREATE_UPLOAD);
        int scenarioJobsBefore = pipeline.simulator().jobsCreated();

        // a budget of 0 (spent): every upload is priced as it is queued and waits, in order, with nothing sent to Scenario
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(upload(i));
        }
        for (String held : ids) {
            assertThat(record(held).billing().estimate()).as(held).isEqualTo(estimate);
            assertThat(record(held).executionArn()).as("no execution for " + held).isNull();
            assertThat(api.job(held).path("queuePosition").asInt()).isEqualTo(ids.indexOf(held) + 1);
        }
        assertThat(api.job(ids.get(0)).path("waitingReason").asText()).contains("budget of").contains("does not fit");
        assertThat(pipeline.simulator().count(Route.CREATE_UPLOAD)).isEqualTo(uploadsBefore);
        assertThat(pipeline.simulator().jobsCreated()).isEqualTo(scenarioJobsBefore);

        // room for two and a half: the first two run, and the first Scenario job of the two fails (refunded)
        pipeline.simulator().faults().nextFailingJobs(1, "the model could not run", "try again");
        pipeline.budget(Optional.of(new Budget(2L * estimate + estimate / 2, BudgetPeriod.DAY)));
        pipeline.sweep();
        JsonNode first = api.await(ids.get(0), j -> j.path("status").asText().matches("SUCCEEDED|FAILED"), Duration.ofMinutes(2));
        JsonNode second = api.await(ids.get(1), j -> j.path("status").asText().matches("SUCCEEDED|FAILED"), Duration.ofMinutes(2));
        String failed = first.path("status").asText().equals("FAILED") ? ids.get(0) : ids.get(1);
        String succeeded = failed.equals(ids.get(0)) ? ids.get(1) : ids.get(0);
        assertThat(record(failed).status()).isEqualTo(JobStatus.FAILED);
        assertThat(record(succeeded).status()).as(String.valueOf(second)).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(record(failed).billing().billed()).isZero(); // Scenario refunds a failure
        assertThat(record(succeeded).billing().billed()).isEqualTo(estimate);

        // the refund admitted the third: with 2.5 estimates of room it fits only if the failure gave all its units back
        // (settled as Scenario's job ended, before the job's own FAILED); the fourth and fifth still wait
        api.awaitStatus(ids.get(2), "SUCCEEDED", Duration.ofMinutes(2));
        List<Job.StatusChange> third = record(ids.get(2)).history();
        assertThat(third).extracting(Job.StatusChange::status)
                .containsSubsequence(JobStatus.WAITING_FOR_BUDGET, JobStatus.ADMITTED, JobStatus.UPLOADING, JobStatus.SUCCEEDED);
        assertThat(third.stream().filter(c -> c.status() == JobStatus.ADMITTED).findFirst().orElseThrow().note())
                .contains("estimate reserved in budget period");
        assertThat(when(ids.get(2), JobStatus.ADMITTED)).isAfter(when(failed, JobStatus.SUBMITTED));
        for (String held : ids.subList(3, 5)) {
            assertThat(record(held).status()).as(held).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
            assertThat(record(held).executionArn()).as("no execution for " + held).isNull();
        }
        assertThat(pipeline.simulator().jobsCreated() - scenarioJobsBefore).isEqualTo(3);
        assertThat(pipeline.simulator().count(Route.CREATE_UPLOAD) - uploadsBefore).isEqualTo(3);
        JsonNode usage = api.json("GET", "/usage", null);
        assertThat(usage.path("spent").asLong()).isEqualTo(2L * estimate); // the refunded failure spent nothing
        assertThat(usage.path("reserved").asLong()).isZero();
        assertThat(usage.path("remaining").asLong()).isEqualTo(estimate / 2);

        // a raise admits the fourth and fifth
        pipeline.budget(Optional.of(new Budget(5L * estimate, BudgetPeriod.DAY)));
        pipeline.sweep();
        for (String id : ids.subList(3, 5)) {
            api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
        }
        for (String id : ids.subList(3, 5)) { // held until the raise, then admitted by its dispatch (one batch: slots in queue order)
            assertThat(record(id).history()).extracting(Job.StatusChange::status)
                    .containsSubsequence(JobStatus.WAITING_FOR_BUDGET, JobStatus.ADMITTED, JobStatus.SUCCEEDED);
            assertThat(when(id, JobStatus.ADMITTED)).isAfter(when(ids.get(2), JobStatus.ADMITTED));
        }

        // the books balance: spent + reserved is what the jobs cost, day by day and job by job
        usage = api.json("GET", "/usage", null);
        long billed = ids.stream().mapToLong(id -> record(id).billing().billed()).sum();
        assertThat(billed).isEqualTo(4L * estimate);
        assertThat(usage.path("period").asText()).isEqualTo(BudgetPeriod.DAY.of(Instant.now()));
        assertThat(usage.path("spent").asLong() + usage.path("reserved").asLong()).isEqualTo(billed);
        assertThat(usage.path("reserved").asLong()).isZero();
        assertThat(usage.path("jobs").asInt()).isEqualTo(5);
        assertThat(usage.path("remaining").asLong()).isEqualTo(estimate);
        assertThat(usage.path("byDay")).hasSize(1);
        assertThat(usage.path("byDay").get(0).path("spent").asLong()).isEqualTo(billed);
        assertThat(usage.path("byDay").get(0).path("jobs").asInt()).isEqualTo(5);
    }
}
