package io.outpaint.job;

/** A status change that would move a job backwards, or out of a terminal status. */
public final class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(String jobId, JobStatus from, JobStatus to) {
        super("job " + jobId + " is " + from + " and cannot move to " + to);
    }
}
