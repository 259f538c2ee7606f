package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.queue.ExecutionNames;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Admit on the in-memory stores: who owns a job's run when more than one execution of it exists. */
class AdmitTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final Admission admission = new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock));
    private final Admit admit = new Admit(jobs, slots, 1, admission, null, "b", 1, clock);

    private static StepState in(String jobId, String executionName) {
        return new StepState(jobId, FakeExecutions.MACHINE + executionName, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    private void queued(String jobId) {
        Job job = Job.queued(jobId, JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/" + jobId + ".mp4", null, null, 1L, "video/mp4"), null, null, T0, 1);
        jobs.create(job.moveTo(JobStatus.WAITING_FOR_SLOT, T0, null));
    }

    @Test
    void theExecutionTheDispatcherStartedIsAdmitted() {
        queued("a");
        admission.dispatch();
        assertThat(admit.run(in("a", "a")).outcome()).isEqualTo(StepOutcome.ADMITTED);
        assertThat(jobs.get("a").executionArn()).isEqualTo(FakeExecutions.MACHINE + "a");
    }

    @Test
    void anOlderExecutionOfAJobNowRunningElsewhereLeavesItAlone() {
        queued("b");
        admission.dispatch();
        admit.run(in("b", "b"));
        jobs.update("b", j -> j.withExecutionArn(FakeExecutions.MACHINE + "b-r2").moveTo(JobStatus.SUBMITTED, T0, null));
        // the first execution's Admit, retried after a crash (or a second start by hand), finds the job run by b-r2
        assertThat(admit.run(in("b", "b")).outcome()).isEqualTo(StepOutcome.OWNED_BY_ANOTHER_EXECUTION);
        assertThat(jobs.get("b").executionArn()).isEqualTo(FakeExecutions.MACHINE + "b-r2");
        assertThat(jobs.get("b").status()).isEqualTo(JobStatus.SUBMITTED);
        // while the execution that owns it goes on
        assertThat(admit.run(in("b", "b-r2")).outcome()).isEqualTo(StepOutcome.ADMITTED);
    }

    @Test
    void resumedExecutionsOfLongIdsStayDistinct() {
        String base = "x".repeat(78);
        Job one = Job.queued(base + "01", JsonNodeFactory.instance.objectNode(), null, FakeExecutions.MACHINE + base + "01", null, T0, 1);
        Job two = Job.queued(base + "02", JsonNodeFactory.instance.objectNode(), null, FakeExecutions.MACHINE + base + "02", null, T0, 1);
        assertThat(ExecutionNames.next(one)).hasSizeLessThanOrEqualTo(80).endsWith("-r2").isNotEqualTo(ExecutionNames.next(two));
    }
}
