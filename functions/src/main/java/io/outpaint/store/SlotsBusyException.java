package io.outpaint.store;

/** Every slot of the limit on Scenario jobs in flight is taken: wait and try again (a Retry, not a failure). */
public final class SlotsBusyException extends RuntimeException {
    public SlotsBusyException(String jobId, int limit) {
        super("all " + limit + " Scenario job slots are taken; job " + jobId + " waits for one");
    }
}
