package io.outpaint.local.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.JobStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The real store, except that once armed it fails the write recording a Scenario job id: a crash between Scenario's answer and our write. */
final class CrashingJobStore implements JobStore {

    static final AtomicBoolean ARMED = new AtomicBoolean();

    private final JobStore real;

    CrashingJobStore(JobStore real) {
        this.real = real;
    }

    @Override
    public Job update(String jobId, UnaryOperator<Job> change) {
        return real.update(jobId, current -> {
            Job next = change.apply(current);
            if (next.status() == JobStatus.SUBMITTED && current.status() == JobStatus.SUBMITTING && ARMED.compareAndSet(true, false)) {
                throw SdkClientException.create("simulated crash after Scenario answered, before the record was written");
            }
            return next;
        });
    }

    @Override public boolean create(Job job) { return real.create(job); }
    @Override public Optional<Job> find(String jobId) { return real.find(jobId); }
    @Override public java.util.List<Job> waiting(int limit) { return real.waiting(limit); }
    @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
    @Override public Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken) { return real.list(status, limit, nextToken); }
}
