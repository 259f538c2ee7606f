package io.outpaint.local.bench;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.UnaryOperator;

/**
 * DynamoDB writes counted by the job they are for, at a benchmark's edge: a decorator of the runtime's services
 * ({@code LocalPipeline.Settings.withDecorator}) wrapping the job store and the slot limiter every function uses. A job
 * record's write is counted each time an update changes the record (a try refused by its condition and tried again
 * counts twice, as DynamoDB bills it); the slot item's, once a call (one conditional write each), a batch taking the
 * slots of several jobs in one write shared among them. Not seen: the per-shape duration and price items.
 */
final class CountingWrites {

    private final Map<String, DoubleAdder> byJob = new ConcurrentHashMap<>();

    /** The services with their job store and slot limiter counted here. */
    PipelineServices wrap(PipelineServices services) {
        return services.withJobs(new Jobs(services.jobs())).withSlots(new Slots(services.slots()));
    }

    /** Writes counted for the jobs {@code which} accepts (by id). */
    double writes(java.util.function.Predicate<String> which) {
        return byJob.entrySet().stream().filter(e -> which.test(e.getKey())).mapToDouble(e -> e.getValue().sum()).sum();
    }

    private void count(String jobId, double writes) {
        byJob.computeIfAbsent(jobId, id -> new DoubleAdder()).add(writes);
    }

    private final class Jobs implements JobStore {
        private final JobStore real;

        Jobs(JobStore real) {
            this.real = real;
        }

        @Override public boolean create(Job job) { count(job.jobId(), 1); return real.create(job); }
        @Override public Optional<Job> find(String jobId) { return real.find(jobId); }
        @Override public Job update(String jobId, UnaryOperator<Job> change) { return real.update(jobId, counted(jobId, change)); }
        @Override public Job update(Job current, UnaryOperator<Job> change) { return real.update(current, counted(current.jobId(), change)); }
        @Override public List<Job> waiting(int limit) { return real.waiting(limit); }
        @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
        @Override public Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken) { return real.list(status, limit, nextToken); }
        @Override public void prime(String absentJobId) { real.prime(absentJobId); }
        @Override public void primeUpdate(String absentJobId) { real.primeUpdate(absentJobId); }

        /** The change, counting a write each time it changes the record (the store writes only then). */
        private UnaryOperator<Job> counted(String jobId, UnaryOperator<Job> change) {
            return current -> {
                Job next = change.apply(current);
                if (!next.equals(current)) {
                    count(jobId, 1);
                }
                return next;
            };
        }
    }

    private final class Slots implements SlotLimiter {
        private final SlotLimiter real;

        Slots(SlotLimiter real) {
            this.real = real;
        }

        @Override public boolean tryAcquire(String jobId, int limit) { count(jobId, 1); return real.tryAcquire(jobId, limit); }
        @Override public Acquired acquire(String jobId, int limit) { count(jobId, 1); return real.acquire(jobId, limit); }
        @Override public List<Acquired> acquireAll(List<String> jobIds, int limit) {
            jobIds.forEach(id -> count(id, 1.0 / jobIds.size()));
            return real.acquireAll(jobIds, limit);
        }
        @Override public void release(String jobId) { count(jobId, 1); real.release(jobId); }
        @Override public Set<String> holders() { return real.holders(); }
    }
}
