package io.outpaint.store;

import java.util.HashSet;
import java.util.Set;

/** {@link SlotLimiter} in memory, with the DynamoDB limiter's rules: for fast tests and benchmarks. */
public final class InMemorySlotLimiter implements SlotLimiter {

    private final Set<String> holders = new HashSet<>();

    @Override
    public synchronized boolean tryAcquire(String jobId, int limit) {
        if (holders.contains(jobId) || holders.size() < limit) {
            holders.add(jobId);
            return true;
        }
        return false;
    }

    @Override
    public synchronized Acquired acquire(String jobId, int limit) {
        if (holders.contains(jobId)) {
            return Acquired.HELD;
        }
        return tryAcquire(jobId, limit) ? Acquired.TAKEN : Acquired.FULL;
    }

    @Override
    public synchronized void release(String jobId) {
        holders.remove(jobId);
    }

    @Override
    public synchronized Set<String> holders() {
        return Set.copyOf(holders);
    }
}
