package io.outpaint.store;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * {@link #acquire} for each of {@code jobIds}, in order, up to the first that finds every slot
     * taken: what each found, the ones after that first FULL answered FULL without a try. A store
     * may take them all in one write when that write finds room for all of them and none held yet.
     */
    default List<Acquired> acquireAll(List<String> jobIds, int limit) {
        List<Acquired> found = new ArrayList<>(jobIds.size());
        for (String jobId : jobIds) {
            found.add(found.contains(Acquired.FULL) ? Acquired.FULL : acquire(jobId, limit));
        }
        return found;
    }

    /** Gives the slot of {@code jobId} back; nothing happens if it holds none. */
    void release(String jobId);

    /** The jobs holding a slot now. */
    Set<String> holders();
}
