package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.budget.BudgetGate;
import io.outpaint.job.Job;
import io.outpaint.job.JobIds;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.queue.Admission;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.segments.Segments;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step: the job must hold a slot before anything reaches Scenario. A job the dispatcher
 * started holds one already. A job started straight through Step Functions (no record yet, or no
 * slot) is checked first, a bad one fails at once; then it takes a free slot if nobody waits, or
 * joins the queue and this execution ends, the dispatcher starting another when its turn comes.
 */
public final class Admit implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(Admit.class);

    private final JobStore jobs;
    private final SlotLimiter slots;
    private final int limit;
    private final Admission admission;
    private final InputVideos inputs;
    private final String bucket;
    private final int retentionDays;
    private final Clock clock;
    private final QueueEstimates estimates;
    private final BudgetGate books;

    public Admit(JobStore jobs, SlotLimiter slots, int limit, Admission admission, InputVideos inputs, String bucket,
                 int retentionDays, Clock clock) {
        this(jobs, slots, limit, admission, inputs, bucket, retentionDays, clock, null, null);
    }

    /**
     * With {@code estimates} (a budgeted deployment): a job that joins the queue here gets its estimate
     * first, and never takes a free slot itself: the dispatcher reserves its units with the slot. With
     * {@code books}, a job that takes a free slot here (no budget) is put on the books as the dispatcher
     * puts the jobs it admits, so that the spend is known.
     */
    public Admit(JobStore jobs, SlotLimiter slots, int limit, Admission admission, InputVideos inputs, String bucket,
                 int retentionDays, Clock clock, QueueEstimates estimates, BudgetGate books) {
        this.estimates = estimates;
        this.books = books;
        this.jobs = jobs;
        this.slots = slots;
        this.limit = limit;
        this.admission = admission;
        this.inputs = inputs;
        this.bucket = bucket;
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        if (jobId == null || !jobId.matches(JobIds.PATTERN)) {
            throw new InvalidInputException("the job id (the execution's name, or jobId in its input) must match " + JobIds.PATTERN);
        }
        Job job = jobs.find(jobId).orElseGet(() -> register(state));
        if (job.status().isTerminal()) {
            LOG.info("job {} ended already ({}): nothing to run", jobId, job.status());
            if (slots.holders().contains(jobId)) {
                admission.release(jobId);
            }
            return state.with(job.status() == JobStatus.SUCCEEDED ? StepOutcome.SUCCEEDED : StepOutcome.valueOf(job.status().name()));
        }
        String execution = state.executionArn();
        if (job.status().isInFlight() && job.executionArn() != null && !job.executionArn().equals(execution)) {
            // admitted or resumed in another execution (a repeated Admit, a second start by hand): that one runs the job
            LOG.warn("job {} runs in {}; execution {} leaves it alone", jobId, job.executionArn(), execution);
            return state.with(StepOutcome.OWNED_BY_ANOTHER_EXECUTION);
        }
        if (job.status() == JobStatus.JOINING) {
            // the parent's join execution (started by its last segment, or resumed): finish each segment, then join
            return state.joining(Segments.jobIds(job));
        }
        if (job.status() == JobStatus.RENDERING_SEGMENTS) {
            return state.with(StepOutcome.SEGMENTS_QUEUED); // its segments run in executions of their own
        }
        if (slots.holders().contains(jobId)) {
            jobs.update(job, j -> admitted(j, execution, "slot held"));
            return state.with(StepOutcome.ADMITTED);
        }
        if (job.status().isPastScenario()) {
            return state.with(StepOutcome.ADMITTED); // resumed while copying or finishing: neither holds a slot
        }
        if (job.status().isInFlight()) {
            // this job's own execution, resumed after its slot was reclaimed: it was admitted before anyone now waiting
            boolean took = slots.tryAcquire(jobId, limit);
            LOG.warn("job {} was in flight without a slot; {}", jobId, took ? "took one back" : "going on over the limit");
            return state.with(StepOutcome.ADMITTED);
        }
        check(job);
        boolean budgeted = estimates != null && estimates.budgeted();
        if (!budgeted && jobs.waiting(1).isEmpty() && slots.tryAcquire(jobId, limit)) {
            String period = onTheBooks(job);
            jobs.update(job, j -> admitted(period == null || j.billingOrNone().budgetPeriod() != null ? j
                    : j.withBilling(j.billingOrNone().withBudgetPeriod(period), clock.instant()), execution, "slot free, nobody waiting"));
            return state.with(StepOutcome.ADMITTED);
        }
        Instant now = clock.instant();
        Integer estimate = budgeted ? estimates.withEstimate(job, now).billingOrNone().estimate() : null;
        jobs.update(job, j -> {
            Job priced = estimate == null || j.billingOrNone().estimate() != null ? j : j.withBilling(j.billingOrNone().withEstimate(estimate), now);
            return priced.status() == JobStatus.QUEUED
                    ? priced.withExecutionArn(execution).moveTo(JobStatus.WAITING_FOR_SLOT, now,
                            budgeted ? "queued: the dispatcher reserves its estimate with its slot" : "every slot taken: queued")
                    : priced.status().isWaiting() ? priced.withExecutionArn(execution) : priced;
        });
        LOG.info("job {} waits for a slot; this execution ends, the dispatcher starts its next", jobId);
        admission.dispatch(jobId);
        return state.with(StepOutcome.WAITING_FOR_SLOT);
    }

    /** Where the job's hold on the books is (null: none kept, or a budget set meanwhile refused it: its end settles nothing). */
    private String onTheBooks(Job job) {
        if (books == null) {
            return null;
        }
        return books.reserve(job) instanceof BudgetGate.Decision.Admit admit ? admit.period() : null;
    }

    /** The job, ADMITTED in this execution; one another execution has taken meanwhile is left as it is. */
    private Job admitted(Job job, String execution, String note) {
        if (job.status().isInFlight()) {
            return job.executionArn() == null && execution != null ? job.withExecutionArn(execution) : job;
        }
        Job own = execution == null ? job : job.withExecutionArn(execution);
        return own.status().mayMoveTo(JobStatus.ADMITTED) ? own.moveTo(JobStatus.ADMITTED, clock.instant(), note) : own;
    }

    /** A bad request or a missing video fails here, before the job waits for anything. */
    private void check(Job job) {
        OutpaintRequest.fromJson(job.request());
        UploadInput.describeInput(inputs, job.source(), bucket);
    }

    /** The record of a job started straight through Step Functions, from the execution's input. */
    private Job register(StepState state) {
        StepState input = state.previous() == null ? state : state.previous();
        StepState.VideoRef video = input.video();
        Job.Source source = video == null ? null
                : new Job.Source("execution", video.bucket(), video.key(), video.versionId(), null, null, null);
        ObjectNode request = input.request() == null ? JsonNodeFactory.instance.objectNode() : input.request();
        jobs.create(Job.queued(state.jobId(), request, source, state.executionArn(), null, clock.instant(), retentionDays));
        return jobs.get(state.jobId());
    }
}
