package io.outpaint.store;

import java.util.Set;

/** A global limit on Scenario jobs in flight, shared by every execution. */
public interface SlotLimiter {

    /**
     * Takes a slot for {@code jobId} if one is free; a job that holds one already keeps it (so a
     * repeated call is harmless). False when every slot is taken by other jobs.
     */
    boolean tryAcquire(String jobId, int limit);

    /** What {@link #acquire} found: this call took the slot, the job held it already, or every slot is taken. */
    enum Acquired { TAKEN, HELD, FULL }

    /**
     * {@link #tryAcquire}, telling apart a slot this call took from one the job held already (so
     * that, of dispatchers racing for one job, one knows it is the one to start it). Stores that
     * cannot tell atomically may answer TAKEN for both: a repeated start is harmless, only slower.
     */
    default Acquired acquire(String jobId, int limit) {
        if (holders().contains(jobId)) {
            return Acquired.HELD;
        }
        return tryAcquire(jobId, limit) ? Acquired.TAKEN : Acquired.FULL;
    }

    /** Gives the slot of {@code jobId} back; nothing happens if it holds none. */
    void release(String jobId);

    /** The jobs holding a slot now. */
    Set<String> holders();
}
