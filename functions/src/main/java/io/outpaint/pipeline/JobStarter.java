package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.store.JobStore;
import java.time.Clock;

/**
 * Puts checked jobs in the admission queue. The record is written first, in WAITING_FOR_SLOT
 * (conditional, so a second start of the same job id finds the first); then the dispatcher
 * admits what it can. The queued record is the job's way to run: if this dispatch fails, the next
 * one (another job's, a repeated request's, or the periodic sweep's) starts it.
 */
public final class JobStarter {

    private final JobStore jobs;
    private final Admission admission;
    private final Clock clock;
    private final QueueEstimates estimates;

    public JobStarter(JobStore jobs, Admission admission, Clock clock) {
        this(jobs, admission, clock, null);
    }

    /** With {@code estimates}, a job without an estimate gets one as it joins the queue of a budgeted deployment. */
    public JobStarter(JobStore jobs, Admission admission, Clock clock, QueueEstimates estimates) {
        this.jobs = jobs;
        this.admission = admission;
        this.clock = clock;
        this.estimates = estimates;
    }

    public JobStarter(PipelineServices services) {
        this(services.jobs(), services.admission(), services.clock(), QueueEstimates.of(services));
    }

    private Job estimated(Job job) {
        return estimates == null ? job : estimates.withEstimate(job, clock.instant());
    }

    /**
     * True when this call created the job; false when it existed already. Either way the queue is
     * dispatched, so a repeated request or event starts a job whose first dispatch was lost.
     */
    public boolean start(Job job) {
        Job waiting = estimated(job.status() == JobStatus.QUEUED ? job.moveTo(JobStatus.WAITING_FOR_SLOT, job.createdAt(), null) : job);
        boolean created = jobs.create(waiting);
        admission.dispatch(job.jobId());
        return created;
    }

    /** A recorded job whose input has arrived (an API upload) joins the queue. */
    public void enqueue(String jobId) {
        Job priced = jobs.find(jobId).map(this::estimated).orElse(null); // a price asked outside the write, which may be retried
        Integer estimate = priced == null ? null : priced.billingOrNone().estimate();
        // a long clip priced as its segments' sum keeps its plan with it: the budget then holds its segments, not it
        com.fasterxml.jackson.databind.node.ObjectNode planned = priced == null ? null : priced.segments();
        jobs.update(jobId, j -> j.status() != JobStatus.QUEUED ? j
                : (estimate == null || j.billingOrNone().estimate() != null ? j
                        : (planned == null || j.segments() != null ? j : j.withSegments(planned, clock.instant()))
                                .withBilling(j.billingOrNone().withEstimate(estimate), clock.instant()))
                        .moveTo(JobStatus.WAITING_FOR_SLOT, clock.instant(), "input received"));
        admission.dispatch(jobId);
    }

    /** Records a job that failed before it could start (a bad request, not a video), so the reason is kept. */
    public boolean recordRefused(Job job, Job.JobError error) {
        Job refused = job.withError(error, job.createdAt()).moveTo(JobStatus.FAILED, job.createdAt(), error.code());
        return jobs.create(refused);
    }
}
