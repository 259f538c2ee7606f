package io.outpaint.job;

/**
 * Where a job is. Ranked: a job only ever moves to a higher rank, and never leaves a terminal
 * status. QUEUED: recorded, its input not yet there (an upload URL was handed out).
 * WAITING_FOR_SLOT: checked and in the admission queue, nothing started. ADMITTED: holds a slot of
 * the limit on Scenario jobs, its execution started. SUBMITTING marks "the generate call may have
 * been sent", so a retry looks before it posts. WAITING_FOR_BUDGET: in the admission queue at its
 * place, a slot free for it, but its estimate (or that of a job ahead of it) does not fit the
 * period's budget. The two waiting statuses share a rank: a waiting job may move between them.
 * COPYING and FINISHING come after Scenario's part: they hold no slot. FINISHING: the results are
 * copied and the finished video is being made from them.
 * <p>A clip longer than one generation is a parent of segment jobs (see {@code io.outpaint.segments.Segments}):
 * SPLITTING (its slot held until its segments are queued): its input is cut into segment inputs and one job is
 * queued per segment; RENDERING_SEGMENTS: its segments run as jobs of their own, and no execution of its own runs
 * (the last segment to succeed moves it on); JOINING: the segments are finished and joined into one video (no slot).
 * <p>One move goes back, for a parent only ({@link Job#reopenForSegmentRetry}): SUCCEEDED, or FAILED by a segment, to
 * RENDERING_SEGMENTS, when a user has one of its segments generated again ({@code POST /jobs/{id}/segments/{n}/retry}).
 */
public enum JobStatus {
    QUEUED(0), WAITING_FOR_SLOT(1), WAITING_FOR_BUDGET(1), ADMITTED(2), UPLOADING(3), SPLITTING(3), SUBMITTING(4), SUBMITTED(5),
    RUNNING(6), RENDERING_SEGMENTS(6), COPYING(7), FINISHING(8), JOINING(8), SUCCEEDED(9), FAILED(9), TIMED_OUT(9), CANCELED(9);

    private final int rank;

    JobStatus(int rank) {
        this.rank = rank;
    }

    /**
     * The statuses of a job whose execution should be running (all but the past-Scenario ones hold a slot). A parent
     * RENDERING_SEGMENTS is not one: its segments run, each in its own execution.
     */
    public boolean isInFlight() {
        return rank >= ADMITTED.rank && rank < 9 && this != RENDERING_SEGMENTS;
    }

    /** Scenario's part is done (the job is copied, finished or joined from its results): such a job holds no slot. */
    public boolean isPastScenario() {
        return this == COPYING || this == FINISHING || this == JOINING;
    }

    /** In the admission queue, at its place: waiting for a slot or for the budget. */
    public boolean isWaiting() {
        return rank == WAITING_FOR_SLOT.rank;
    }

    public boolean isTerminal() {
        return rank == 9;
    }

    /**
     * Whether a job in this status may move to {@code next} (staying put counts, for progress updates);
     * a waiting job may also move to the other waiting status, its place in the queue unchanged.
     */
    public boolean mayMoveTo(JobStatus next) {
        return this == next || (!isTerminal() && (next.rank > rank || (isWaiting() && next.isWaiting())));
    }

    /**
     * Whether a parent of segments in this status may go back to {@code next} for a segment generated again: from
     * SUCCEEDED or FAILED to RENDERING_SEGMENTS only (the caller checks that the job is a parent, and why it failed).
     */
    public boolean mayReopenTo(JobStatus next) {
        return (this == SUCCEEDED || this == FAILED) && next == RENDERING_SEGMENTS;
    }
}
