package io.outpaint.store;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A job store that tells {@code onEnd} of each job's end exactly once: on the one write that
 * made it terminal, whoever wrote it (a step, the API's cancel, the reconciler, the sweep, a
 * refused upload). Conditional writes let only one such write succeed, so a job is counted once.
 */
public final class EndCountingJobStore implements JobStore {

    private final JobStore real;
    private final Consumer<Job> onEnd;

    public EndCountingJobStore(JobStore real, Consumer<Job> onEnd) {
        this.real = real;
        this.onEnd = onEnd;
    }

    @Override
    public boolean create(Job job) {
        boolean created = real.create(job);
        if (created && job.status().isTerminal()) {
            onEnd.accept(job);
        }
        return created;
    }

    @Override
    public Job update(String jobId, UnaryOperator<Job> change) {
        return counted(change, counting -> real.update(jobId, counting));
    }

    @Override
    public Job update(Job current, UnaryOperator<Job> change) {
        return counted(change, counting -> real.update(current, counting));
    }

    private Job counted(UnaryOperator<Job> change, java.util.function.Function<UnaryOperator<Job>, Job> update) {
        // the store may apply the change more than once (a concurrent write in between): the last one is what was written
        JobStatus[] before = new JobStatus[1];
        Job written = update.apply(current -> {
            before[0] = current.status();
            return change.apply(current);
        });
        if (before[0] != null && !before[0].isTerminal() && written.status().isTerminal()) {
            onEnd.accept(written);
        }
        return written;
    }

    @Override public void prime(String absentJobId) { real.prime(absentJobId); }
    @Override public void primeUpdate(String absentJobId) { real.primeUpdate(absentJobId); }
    @Override public Optional<Job> find(String jobId) { return real.find(jobId); }
    @Override public List<Job> waiting(int limit) { return real.waiting(limit); }
    @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
    @Override public Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken) { return real.list(status, limit, nextToken); }
}
