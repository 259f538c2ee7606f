package io.outpaint.store;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
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

    /** As {@link DynamoSlotLimiter#acquireAll}: all at once when there is room for all and none is held, else one by one. */
    @Override
    public synchronized List<Acquired> acquireAll(List<String> jobIds, int limit) {
        boolean batch = jobIds.size() > 1 && jobIds.size() <= limit && Set.copyOf(jobIds).size() == jobIds.size()
                && holders.size() <= limit - jobIds.size() && jobIds.stream().noneMatch(holders::contains);
        if (!batch) {
            return SlotLimiter.super.acquireAll(jobIds, limit);
        }
        holders.addAll(jobIds);
        return Collections.nCopies(jobIds.size(), Acquired.TAKEN);
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
