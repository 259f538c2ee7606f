package io.outpaint.pipeline;

/**
 * What a step says comes next, as the state machine's Choice states read it ({@code $.outcome}).
 * The ASL names these values; a contract test holds the two together.
 */
public enum StepOutcome {
    /** The job holds a slot: go on to the upload. */
    ADMITTED,
    /** The clip is longer than one generation: the job is a parent, SPLITTING; cut it into segment jobs. */
    SPLIT,
    /** The parent's segment jobs are queued: this execution ends; the last segment to succeed starts the join. */
    SEGMENTS_QUEUED,
    /** The parent's segments all succeeded: finish each ({@code segmentJobs}) and join them. */
    JOIN,
    /** Started without a slot: the job is in the queue, and this execution ends; the dispatcher starts another. */
    WAITING_FOR_SLOT,
    /** The job runs in another execution (admitted or resumed there): this one ends and leaves it alone. */
    OWNED_BY_ANOTHER_EXECUTION,
    /** Scenario is still working: wait, then look again. */
    RUNNING,
    /** Scenario's job succeeded: copy its results. */
    SCENARIO_SUCCEEDED,
    /** The results are copied and the job is FINISHING: make the finished video from them. */
    COPIED,
    SUCCEEDED,
    FAILED,
    CANCELED,
    TIMED_OUT
}
