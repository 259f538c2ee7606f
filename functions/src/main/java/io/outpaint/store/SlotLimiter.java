package io.outpaint.store;

import java.util.Set;

/** A global limit on Scenario jobs in flight, shared by every execution. */
public interface SlotLimiter {

    /**
     * Takes a slot for {@code jobId} if one is free; a job that holds one already keeps it (so a
     * repeated call is harmless). False when every slot is taken by other jobs.
     */
    boolean tryAcquire(String jobId, int limit);

    /** Gives the slot of {@code jobId} back; nothing happens if it holds none. */
    void release(String jobId);

    /** The jobs holding a slot now. */
    Set<String> holders();
}
