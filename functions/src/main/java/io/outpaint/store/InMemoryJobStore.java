package io.outpaint.store;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * {@link JobStore} in a map, with the same rules as the DynamoDB store (a create never overwrites,
 * an update is a compare-and-set on the version): for fast tests of the steps and for benchmarks.
 */
public final class InMemoryJobStore implements JobStore {

    private final ConcurrentMap<String, Job> jobs = new ConcurrentHashMap<>();

    @Override
    public boolean create(Job job) {
        return jobs.putIfAbsent(job.jobId(), job.withVersion(1L)) == null;
    }

    @Override
    public Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public Job update(String jobId, UnaryOperator<Job> change) {
        while (true) {
            Job current = get(jobId);
            Job next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            Job stored = next.withVersion(current.version() + 1);
            if (jobs.replace(jobId, current, stored)) {
                return stored;
            }
        }
    }

    @Override
    public List<Job> waiting(int limit) {
        return jobs.values().stream().filter(j -> j.status().isWaiting())
                .sorted(Comparator.comparing(Job::queueKey)).limit(limit).toList();
    }

    @Override
    public long waitingAhead(Job job) {
        return jobs.values().stream().filter(j -> j.status().isWaiting())
                .filter(j -> j.queueKey().compareTo(job.queueKey()) < 0).count();
    }

    /** Every job of one status (or all), newest first, queue order for waiting jobs; the token is an offset. */
    @Override
    public Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken) {
        Comparator<Job> order = status.map(JobStatus::isWaiting).orElse(false)
                ? Comparator.comparing(Job::queueKey) : Comparator.comparing(Job::queueKey).reversed();
        List<Job> all = jobs.values().stream().filter(j -> status.map(s -> j.status() == s).orElse(true)).sorted(order).toList();
        int from = nextToken.map(Integer::parseInt).orElse(0);
        List<Job> page = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
        return new Page(page, from + limit < all.size() ? Optional.of(Integer.toString(from + limit)) : Optional.empty());
    }
}
