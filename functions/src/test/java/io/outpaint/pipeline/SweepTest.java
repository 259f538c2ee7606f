package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.queue.Executions;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The periodic repair and the reconciliation of ended executions, on the in-memory stores. */
class SweepTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final Admission admission = new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock));
    private final Reconcile reconcile = new Reconcile(jobs, admission, clock);
    private final Sweep sweep = new Sweep(jobs, slots, executions, reconcile, admission, 1);
    private final JobStarter starter = new JobStarter(jobs, admission, clock);

    private static Job job(String id, int second) {
        return Job.queued(id, JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/" + id + ".mp4", null, null, 1L, "video/mp4"), null, null, T0.plusSeconds(second), 1);
    }

    @Test
    void handsOnAnApiJobStillQueuedAfterTheGraceWhoseUploadLandedAndLeavesTheRest() {
        // created through the API with an upload URL: QUEUED until its upload's S3 event arrives
        jobs.create(job("api-old", -300));
        jobs.create(job("api-new", -30));
        jobs.create(job("api-failing", -300));
        jobs.create(job("api-absent", -300));
        java.util.List<String> lookedAt = new java.util.ArrayList<>();
        Sweep.AwaitedUploads uploads = job -> {
            lookedAt.add(job.jobId());
            if (job.jobId().equals("api-failing")) {
                throw new IllegalStateException("S3 is down");
            }
            if (job.jobId().equals("api-absent")) {
                return false; // nothing uploaded yet
            }
            starter.enqueue(job.jobId()); // what the upload trigger's path does with a video
            return true;
        };
        Sweep.Report report = new Sweep(jobs, slots, executions, reconcile, admission, 1, uploads, java.time.Duration.ofMinutes(2), clock).run();

        assertThat(lookedAt).containsExactlyInAnyOrder("api-old", "api-failing", "api-absent");
        assertThat(report.uploadsFound()).containsExactly("api-old");
        assertThat(jobs.get("api-old").status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(jobs.get("api-new").status()).isEqualTo(JobStatus.QUEUED); // its event may still come
        assertThat(jobs.get("api-absent").status()).isEqualTo(JobStatus.QUEUED);
        assertThat(jobs.get("api-failing").status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void admitsAJobWhoseWakeUpWasLost() {
        starter.start(job("running", 0));
        starter.start(job("waiting", 1));
        // the function that ended "running" freed the slot and crashed before it could dispatch
        jobs.update("running", j -> j.moveTo(JobStatus.SUCCEEDED, T0, null));
        slots.release("running");
        assertThat(jobs.get("waiting").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        sweep.run();
        assertThat(jobs.get("waiting").status()).isEqualTo(JobStatus.ADMITTED);
    }

    @Test
    void freesTheSlotOfAJobThatEndedWithoutGivingItBack() {
        starter.start(job("crashed", 0));
        starter.start(job("next", 1));
        jobs.update("crashed", j -> j.moveTo(JobStatus.FAILED, T0, null)); // the failure step died before releasing
        Sweep.Report report = sweep.run();
        assertThat(report.slotsFreed()).containsExactly("crashed");
        assertThat(slots.holders()).containsExactly("next");
    }

    @Test
    void resumesAJobWhoseExecutionVanishedInANewExecutionKeepingItsSlot() {
        starter.start(job("lost", 0));
        starter.start(job("behind", 1));
        jobs.update("lost", j -> j.moveTo(JobStatus.SUBMITTED, T0, null));
        executions.forget(FakeExecutions.MACHINE + "lost");
        Sweep.Report report = sweep.run();
        assertThat(report.resumed()).containsExactly("lost");
        assertThat(jobs.get("lost").executionArn()).isEqualTo(FakeExecutions.MACHINE + "lost-r2");
        assertThat(slots.holders()).containsExactly("lost");
        assertThat(jobs.get("behind").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(sweep.run().resumed()).isEmpty(); // running again: nothing to do
    }

    @Test
    void aCopyingJobResumedTakesNoSlotFromTheQueue() {
        starter.start(job("copying", 0));
        starter.start(job("behind", 1));
        jobs.update("copying", j -> j.moveTo(JobStatus.COPYING, T0, null));
        slots.release("copying"); // Scenario's part ended: its slot went back, the queue's dispatch failed
        executions.forget(FakeExecutions.MACHINE + "copying");
        Sweep.Report report = sweep.run();
        assertThat(report.resumed()).containsExactly("copying");
        assertThat(slots.holders()).containsExactly("behind");
        assertThat(jobs.get("behind").status()).isEqualTo(JobStatus.ADMITTED);
    }

    @Test
    void aJobThatEndedAfterTheListWasReadIsLeftAlone() {
        starter.start(job("ending", 0));
        jobs.update("ending", j -> j.moveTo(JobStatus.RUNNING, T0, null));
        executions.forget(FakeExecutions.MACHINE + "ending");
        // the list (an index that lags) still says RUNNING; the record has ended meanwhile
        io.outpaint.store.JobStore lagging = new io.outpaint.store.JobStore() {
            @Override public boolean create(Job job) { return jobs.create(job); }
            @Override public java.util.Optional<Job> find(String id) { return jobs.find(id); }
            @Override public Job update(String id, java.util.function.UnaryOperator<Job> change) { return jobs.update(id, change); }
            @Override public java.util.List<Job> waiting(int limit) { return jobs.waiting(limit); }
            @Override public long waitingAhead(Job job) { return jobs.waitingAhead(job); }
            @Override public Page list(java.util.Optional<JobStatus> status, int limit, java.util.Optional<String> token) {
                Page page = jobs.list(status, limit, token);
                if (status.equals(java.util.Optional.of(JobStatus.RUNNING))) {
                    jobs.update("ending", j -> j.status().isTerminal() ? j : j.moveTo(JobStatus.SUCCEEDED, T0, null));
                }
                return page;
            }
        };
        Sweep.Report report = new Sweep(lagging, slots, executions, reconcile, admission, 1).run();
        assertThat(report.resumed()).isEmpty();
        assertThat(jobs.get("ending").executionArn()).isEqualTo(FakeExecutions.MACHINE + "ending");
        assertThat(executions.started()).containsExactly("ending");
    }

    @Test
    void reconcilesAnExecutionStoppedFromOutsideAndAdmitsTheNext() {
        starter.start(job("stopped", 0));
        starter.start(job("next", 1));
        jobs.update("stopped", j -> j.withScenario(j.scenario().withJob("job_123", T0), T0).moveTo(JobStatus.RUNNING, T0, null));
        String arn = jobs.get("stopped").executionArn();
        executions.set(arn, Executions.State.ABORTED);
        assertThat(reconcile.executionEnded("stopped", arn, Executions.State.ABORTED, "Canceled", "stopped from the console"))
                .contains(JobStatus.CANCELED);
        Job stopped = jobs.get("stopped");
        assertThat(stopped.error().code()).isEqualTo("EXECUTION_ABORTED");
        assertThat(stopped.error().message()).contains("stopped from the console").contains("job_123 may still finish");
        assertThat(slots.holders()).containsExactly("next");
        assertThat(jobs.get("next").status()).isEqualTo(JobStatus.ADMITTED);
    }

    @Test
    void anEventAboutAnExecutionTheJobHasReplacedChangesNothing() {
        starter.start(job("moved-on", 0));
        jobs.update("moved-on", j -> j.withExecutionArn(FakeExecutions.MACHINE + "moved-on-r2").moveTo(JobStatus.RUNNING, T0, null));
        assertThat(reconcile.executionEnded("moved-on", FakeExecutions.MACHINE + "moved-on", Executions.State.FAILED, "x", "y")).isEmpty();
        assertThat(jobs.get("moved-on").status()).isEqualTo(JobStatus.RUNNING);
        assertThat(slots.holders()).containsExactly("moved-on");
    }

    @Test
    void aTimedOutExecutionFoundByTheSweepEndsTheJobTimedOut() {
        starter.start(job("slow", 0));
        jobs.update("slow", j -> j.moveTo(JobStatus.RUNNING, T0, null));
        executions.set(jobs.get("slow").executionArn(), Executions.State.TIMED_OUT);
        assertThat(sweep.run().reconciled()).containsExactly("slow");
        assertThat(jobs.get("slow").status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(jobs.get("slow").error().code()).isEqualTo("EXECUTION_TIMED_OUT");
        assertThat(slots.holders()).isEmpty();
    }
}
