package io.outpaint.store;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Where job records live. Writes are conditional: no lost update, no status moving backwards. */
public interface JobStore {

    /** Stores a new job; false when a job with that id exists already (the existing one is kept). */
    boolean create(Job job);

    Optional<Job> find(String jobId);

    /** The job, which must exist. */
    default Job get(String jobId) {
        return find(jobId).orElseThrow(() -> new NoSuchJobException(jobId));
    }

    /**
     * Applies {@code change} to the current record and stores it if no one else wrote in between,
     * trying again on a concurrent write. A change that returns the same job writes nothing.
     */
    Job update(String jobId, UnaryOperator<Job> change);

    /**
     * As {@link #update(String, UnaryOperator)}, starting from {@code current}, the job as this
     * caller just read or wrote it: a store may skip reading it again, and reads it only if someone
     * else wrote in between (the write's version condition tells). {@code change} must hold for any
     * later state of the job, as for the other form.
     */
    default Job update(Job current, UnaryOperator<Job> change) {
        return update(current.jobId(), change);
    }

    /** The jobs in the admission queue (waiting for a slot or for the budget), the head first: creation order. */
    List<Job> waiting(int limit);

    /** How many jobs wait ahead of {@code job} in the queue (0: it is next). */
    long waitingAhead(Job job);

    /**
     * One page of jobs, newest first, optionally of one status; waiting jobs (either waiting status) come
     * in queue order instead, the next one to be admitted first.
     */
    Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken);

    record Page(List<Job> jobs, Optional<String> nextToken) {}

    /**
     * Runs this store's read path once before SnapStart's snapshot: a lookup of {@code absentJobId},
     * which no job has, and whatever else a store maps without calling out. Writes nothing.
     */
    default void prime(String absentJobId) {
        find(absentJobId);
    }

    /**
     * Runs this store's update path once before SnapStart's snapshot, on {@code absentJobId}: a
     * conditional write that cannot hold (the job does not exist), so nothing is written. Only
     * for functions that may update jobs.
     */
    default void primeUpdate(String absentJobId) {}

    /** There is no job with this id. */
    final class NoSuchJobException extends RuntimeException {
        public NoSuchJobException(String jobId) {
            super("no job " + jobId);
        }
    }
}
