package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.queue.JobDurations;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.store.InMemoryJobDurations;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import io.outpaint.testing.SimulatorFixture;
import io.outpaint.testing.Videos;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submit, CheckStatus, CopyResults and RecordFailure on the in-memory stores against the simulator: no AWS emulator. */
class StepsTest {

    private static SimulatorFixture scenario;
    private static String assetId;
    @TempDir static Path dir;

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final InMemoryJobDurations durations = new InMemoryJobDurations();
    private final FakeExecutions executions = new FakeExecutions();
    private final Clock clock = Clock.systemUTC();
    private final PollSchedule poll = new PollSchedule(1, 300, 15, 60);
    private final Admission admission = new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock));

    @BeforeAll
    static void start() throws Exception {
        scenario = new SimulatorFixture(Duration.ofMillis(400));
        Path video = Videos.canvas(dir, "v.mp4", 160, 120, 4, 16);
        try (InputStream in = Files.newInputStream(video)) {
            assetId = scenario.client.uploadVideo("v.mp4", "video/mp4", in, Files.size(video), null);
        }
    }

    @AfterAll
    static void stop() {
        scenario.close();
    }

    private Job admitted(String jobId) {
        return admitted(jobId, true);
    }

    private Job admitted(String jobId, boolean finish) {
        ObjectNode request = OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "p " + jobId)
                .put("finish", finish)).toJson();
        Job job = Job.queued(jobId, request, null, null, null, clock.instant(), 1)
                .withScenario(Job.Scenario.NONE.withVideoAssetId(assetId), clock.instant())
                .moveTo(JobStatus.ADMITTED, clock.instant(), null);
        jobs.create(job);
        slots.tryAcquire(jobId, 1);
        return job;
    }

    private Submit submit() {
        return new Submit(jobs, scenario.client, poll, durations, clock);
    }

    @Test
    void submitStartsOneScenarioJobHoweverOftenItRuns() {
        String id = "submit-" + UUID.randomUUID();
        admitted(id);
        int before = scenario.simulator.jobsCreated();
        StepState first = submit().run(StepState.of(id));
        StepState again = submit().run(StepState.of(id));
        assertThat(scenario.simulator.jobsCreated() - before).isEqualTo(1);
        assertThat(first.outcome()).isEqualTo(StepOutcome.RUNNING);
        assertThat(again.submittedAtMillis()).isEqualTo(first.submittedAtMillis());
        assertThat(jobs.get(id).status()).isEqualTo(JobStatus.SUBMITTED);
        assertThat(first.nextDelaySeconds()).isEqualTo(15); // nothing known about this shape yet: the configured first wait
    }

    @Test
    void theFirstLookFollowsHowLongJobsOfTheSameShapeTook() {
        String id = "shaped-" + UUID.randomUUID();
        Job job = admitted(id);
        durations.record(JobDurations.shapeOf(job.request()), Duration.ofSeconds(100));
        assertThat(submit().run(StepState.of(id)).nextDelaySeconds()).isEqualTo(95);
    }

    @Test
    void checkStatusSaysWhenScenarioSucceededAndKeepsItsTime() throws Exception {
        String id = "check-" + UUID.randomUUID();
        Job job = admitted(id);
        StepState polling = submit().run(StepState.of(id));
        scenario.awaitFinal(jobs.get(id).scenario().jobId(), Duration.ofSeconds(20));
        // the look comes an hour after the submission: Scenario's 0.4 s is what is kept, not the hour
        Clock anHourLater = Clock.offset(clock, Duration.ofHours(1));
        CheckStatus check = new CheckStatus(jobs, scenario.client, poll, Duration.ofHours(2), durations, admission, anHourLater);
        StepState seen = check.run(polling);
        assertThat(seen.outcome()).isEqualTo(StepOutcome.SCENARIO_SUCCEEDED);
        assertThat(durations.typical(JobDurations.shapeOf(job.request()))).hasValueSatisfying(
                typical -> assertThat(typical).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5)));
        assertThat(slots.holders()).doesNotContain(id); // Scenario's job is over: the copy holds no slot
    }

    @Test
    void checkStatusRecordsWhatScenarioBilledOnceItsJobEnded() throws Exception {
        String id = "billed-" + UUID.randomUUID();
        admitted(id);
        StepState polling = submit().run(StepState.of(id));
        scenario.awaitFinal(jobs.get(id).scenario().jobId(), Duration.ofSeconds(20));
        CheckStatus check = new CheckStatus(jobs, scenario.client, poll, Duration.ofHours(1), durations, admission, clock);
        check.run(polling);
        check.run(polling); // a repeated look records the same figure
        // the simulator's rule on the defaults (81 frames, 720p, 30 steps, 1 interpolated frame): 47.25, rounded up
        assertThat(jobs.get(id).billing()).isEqualTo(new Job.Billing(null, 48, null));
    }

    @Test
    void aRefundedFailureIsRecordedAsNothingBilled() throws Exception {
        String id = "refunded-" + UUID.randomUUID();
        admitted(id);
        scenario.simulator.faults().nextFailingJobs(1, "out of memory", "lower the resolution");
        try {
            StepState polling = submit().run(StepState.of(id));
            scenario.awaitFinal(jobs.get(id).scenario().jobId(), Duration.ofSeconds(20));
            new CheckStatus(jobs, scenario.client, poll, Duration.ofHours(1), durations, admission, clock).run(polling);
            assertThat(jobs.get(id).billing().billed()).isZero();
        } finally {
            scenario.reset();
        }
    }

    @Test
    void theFirstLookThatSeesProgressComesBackSoonWhenScenariosHistorySaysWhenProgressStarted() throws Exception {
        String id = "anchored-" + UUID.randomUUID();
        admitted(id);
        scenario.simulator.jobDuration(Duration.ofSeconds(10)); // in progress from 2 s to 8.5 s, then finalizing
        try {
            StepState polling = submit().run(StepState.of(id));
            String scenarioJobId = jobs.get(id).scenario().jobId();
            while (scenario.client.getJob(scenarioJobId).progress() < 0.1) {
                Thread.sleep(50);
            }
            StepState seen = new CheckStatus(jobs, scenario.client, poll, Duration.ofHours(1), durations, admission, clock).run(polling);
            assertThat(seen.outcome()).isEqualTo(StepOutcome.RUNNING);
            // one look past zero, the start from the status history: no longer than it has been in progress
            // (under a second here, so the minimum of 1 s); without the history it would back off to 23 s
            assertThat(seen.nextDelaySeconds()).isBetween(1, 3);
        } finally {
            scenario.simulator.jobDuration(Duration.ofMillis(400));
        }
    }

    @Test
    void checkStatusCarriesScenariosReasonAndHintWhenItsJobFails() throws Exception {
        String id = "failing-" + UUID.randomUUID();
        admitted(id);
        scenario.simulator.faults().nextFailingJobs(1, "out of memory", "lower the resolution");
        try {
            StepState polling = submit().run(StepState.of(id));
            scenario.awaitFinal(jobs.get(id).scenario().jobId(), Duration.ofSeconds(20));
            StepState seen = new CheckStatus(jobs, scenario.client, poll, Duration.ofHours(1), durations, admission, clock).run(polling);
            assertThat(seen.outcome()).isEqualTo(StepOutcome.FAILED);
            assertThat(seen.failure()).isEqualTo(new StepState.Failure("SCENARIO_JOB_FAILED", "out of memory", "lower the resolution"));
        } finally {
            scenario.reset();
        }
    }

    @Test
    void recordFailureTakesTheCodeFromTheExceptionTypeEndsTheJobOnceAndAdmitsTheNext() {
        String id = "fails-" + UUID.randomUUID();
        admitted(id);
        Job waiting = Job.queued("waits-" + UUID.randomUUID(), JsonNodeFactory.instance.objectNode().put("prompt", "p"), null, null, null,
                Instant.now(), 1);
        jobs.create(waiting.moveTo(JobStatus.WAITING_FOR_SLOT, waiting.createdAt(), null));
        RecordFailure failure = new RecordFailure(jobs, admission, clock);
        StepState caught = new StepState(id, null, null, null, null, null, null, null, null, null,
                new StepState.CaughtError("io.outpaint.scenario.ScenarioOutcomeUnknownException", "{\"errorMessage\":\"the answer was lost\"}"),
                null, null, null);
        StepState ended = failure.run(StepState.of(id).withPrevious(caught));
        assertThat(ended.ended()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.get(id).error().code()).isEqualTo("SCENARIO_OUTCOME_UNKNOWN");
        assertThat(jobs.get(id).error().message()).isEqualTo("the answer was lost");
        assertThat(failure.run(StepState.of(id).withPrevious(caught)).ended()).isNull(); // a second run counts nothing
        assertThat(slots.holders()).containsExactly(waiting.jobId());
        assertThat(executions.started()).containsExactly(waiting.jobId());
    }

    @Test
    void copyResultsCopiesEveryResultOnceWhenItIsRunAgainThenEndsTheJobAndAdmitsTheNext() throws Exception {
        String id = "copy-" + UUID.randomUUID();
        admitted(id, false);
        submit().run(StepState.of(id));
        scenario.awaitFinal(jobs.get(id).scenario().jobId(), Duration.ofSeconds(20));
        StepState polling = new CheckStatus(jobs, scenario.client, poll, Duration.ofHours(1), durations, admission, clock)
                .run(StepState.of(id));
        assertThat(polling.outcome()).isEqualTo(StepOutcome.SCENARIO_SUCCEEDED);
        Job waiting = Job.queued("after-" + UUID.randomUUID(), JsonNodeFactory.instance.objectNode().put("prompt", "p"), null, null, null,
                Instant.now(), 1);
        jobs.create(waiting.moveTo(JobStatus.WAITING_FOR_SLOT, waiting.createdAt(), null));
        slots.tryAcquire("someone-else", 1); // the slot CheckStatus freed went to another job meanwhile

        java.util.List<String> copied = new java.util.ArrayList<>();
        boolean[] crash = {true};
        io.outpaint.media.ResultCopies results = (asset, bucket, key) -> {
            if (crash[0]) {
                crash[0] = false;
                throw new io.outpaint.media.CopyFailedException("the connection dropped for good", null);
            }
            copied.add(asset + " -> s3://" + bucket + "/" + key);
            return new io.outpaint.media.ResultCopier.Copied(scenario.client.getAsset(asset), 1234, "ab".repeat(32), "video/mp4", 0);
        };
        CopyResults copy = new CopyResults(jobs, scenario.client, results, "the-bucket", admission, clock);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> copy.run(polling)).isInstanceOf(io.outpaint.media.CopyFailedException.class);
        assertThat(jobs.get(id).status()).isEqualTo(JobStatus.COPYING);
        slots.release("someone-else");

        StepState done = copy.run(polling); // the state machine's retry
        assertThat(done.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
        assertThat(done.ended()).isEqualTo(JobStatus.SUCCEEDED);
        String assetId = scenario.client.getJob(jobs.get(id).scenario().jobId()).assetIds().get(0);
        assertThat(copied).containsExactly(assetId + " -> s3://the-bucket/outputs/" + id + "/" + assetId + ".mp4");
        assertThat(jobs.get(id).outputs()).extracting(Job.Output::key).containsExactly("outputs/" + id + "/" + assetId + ".mp4");
        assertThat(jobs.get(id).outputs().get(0).sha256()).isEqualTo("ab".repeat(32));
        assertThat(copy.run(polling).ended()).as("a third run copies and counts nothing").isNull();
        assertThat(copied).hasSize(1);
        assertThat(executions.started()).containsExactly(waiting.jobId()); // the copy's end admitted the next job
    }

    @Test
    void withFinishingOnCopyResultsKeepsTheGenerationAsRawMovesTheJobToFinishingAndGivesItsSlotBack() throws Exception {
        String id = "finishing-" + UUID.randomUUID();
        admitted(id);
        submit().run(StepState.of(id));
        scenario.awaitFinal(jobs.get(id).scenario().jobId(), Duration.ofSeconds(20));
        slots.tryAcquire(id, 1); // as if CheckStatus had not freed it yet: the copy frees it in any case
        List<String> copied = new java.util.ArrayList<>();
        io.outpaint.media.ResultCopies results = (asset, bucket, key) -> {
            copied.add(key);
            return new io.outpaint.media.ResultCopier.Copied(scenario.client.getAsset(asset), 1234, "ab".repeat(32), "video/mp4", 0);
        };
        CopyResults copy = new CopyResults(jobs, scenario.client, results, "the-bucket", admission, clock);

        StepState copiedState = copy.run(StepState.of(id));
        assertThat(copiedState.outcome()).isEqualTo(StepOutcome.COPIED);
        assertThat(copiedState.ended()).as("the job has not ended: Finish ends it").isNull();
        assertThat(jobs.get(id).status()).isEqualTo(JobStatus.FINISHING);
        assertThat(jobs.get(id).outputs()).extracting(Job.Output::key).containsExactly("outputs/" + id + "/raw.mp4");
        assertThat(slots.holders()).doesNotContain(id);
        assertThat(copy.run(StepState.of(id)).outcome()).as("run again, it hands the job to Finish again").isEqualTo(StepOutcome.COPIED);
        assertThat(copied).hasSize(1);
    }

    @Test
    void failureCodesComeFromTheExceptionTypesAndTheServicesNames() {
        assertThat(RecordFailure.codeOf("io.outpaint.media.CopyFailedException")).isEqualTo("COPY_FAILED");
        assertThat(RecordFailure.codeOf("io.outpaint.scenario.ScenarioPlanLimitException")).isEqualTo("SCENARIO_PLAN_LIMIT");
        assertThat(RecordFailure.codeOf("Lambda.Unknown")).isEqualTo("FUNCTION_CRASHED");
        assertThat(RecordFailure.codeOf("States.Timeout")).isEqualTo("STEP_TIMED_OUT");
        assertThat(RecordFailure.codeOf("java.lang.NullPointerException")).isEqualTo("INTERNAL_ERROR");
        assertThat(RecordFailure.codeOf("io.outpaint.NoSuchClass")).isEqualTo("INTERNAL_ERROR");
    }
}
