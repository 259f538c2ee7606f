package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobIds;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Executions;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution ended FAILED, TIMED_OUT or ABORTED (Step Functions' status-change event, or the
 * sweep found it so). If the job's record has not ended, the execution ended outside the state
 * machine's own paths (stopped from the console, its timeout, a failure step that failed): the
 * record gets the matching terminal status with the reason. Either way the slot is given back.
 * An event about an execution the job has since replaced changes nothing.
 */
public final class Reconcile {

    private static final Logger LOG = LoggerFactory.getLogger(Reconcile.class);

    private final JobStore jobs;
    private final Admission admission;
    private final Clock clock;

    public Reconcile(JobStore jobs, Admission admission, Clock clock) {
        this.jobs = jobs;
        this.admission = admission;
        this.clock = clock;
    }

    /** The terminal status this call recorded, if the record had not ended before. */
    public Optional<JobStatus> executionEnded(String jobId, String executionArn, Executions.State state, String error, String cause) {
        if (jobId == null || !jobId.matches(JobIds.PATTERN)) {
            return Optional.empty();
        }
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Job job = found.get();
        if (job.executionArn() != null && !job.executionArn().equals(executionArn)) {
            LOG.info("execution {} of job {} ended {}, but the job runs in {} now", executionArn, jobId, state, job.executionArn());
            return Optional.empty();
        }
        Optional<JobStatus> recorded = Optional.empty();
        if (!job.status().isTerminal() && !job.status().isWaiting() && job.status() != JobStatus.QUEUED) {
            JobStatus status = switch (state) {
                case ABORTED -> JobStatus.CANCELED;
                case TIMED_OUT -> JobStatus.TIMED_OUT;
                default -> JobStatus.FAILED;
            };
            String code = "EXECUTION_" + state.name();
            String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
            String message = "its execution " + name + " ended " + state + " outside the state machine's own paths"
                    + (error == null || error.isBlank() ? "" : ": " + error + (cause == null || cause.isBlank() ? "" : " (" + cause + ")"))
                    + (job.scenario().jobId() != null ? "; Scenario job " + job.scenario().jobId() + " may still finish and be billed" : "");
            Job.JobError why = new Job.JobError(code, message, null);
            Job after = jobs.update(jobId, j -> j.status().isTerminal() ? j
                    : j.withError(why, clock.instant()).moveTo(status, clock.instant(), code));
            if (after.status() == status && after.error() == why) {
                recorded = Optional.of(status);
            }
            LOG.warn("job {} reconciled: {} ({})", jobId, after.status(), message);
        }
        admission.release(jobId);
        return recorded;
    }
}
