package io.outpaint.job;

/**
 * Where a job is. Ranked: a job only ever moves to a higher rank, and never leaves a terminal
 * status. SUBMITTING marks "the generate call may have been sent", so a retry looks before it posts.
 */
public enum JobStatus {
    QUEUED(0), UPLOADING(1), SUBMITTING(2), SUBMITTED(3), RUNNING(4), COPYING(5),
    SUCCEEDED(9), FAILED(9), TIMED_OUT(9), CANCELED(9);

    private final int rank;

    JobStatus(int rank) {
        this.rank = rank;
    }

    public boolean isTerminal() {
        return rank == 9;
    }

    /** Whether a job in this status may move to {@code next} (staying put counts, for progress updates). */
    public boolean mayMoveTo(JobStatus next) {
        return this == next || (!isTerminal() && next.rank > rank);
    }
}
