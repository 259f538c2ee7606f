package io.outpaint.queue;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import io.outpaint.scenario.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits waiting jobs, the head of the queue first, while a slot of the limit on Scenario jobs is
 * free: takes the slot, starts the job's execution, records it ADMITTED. Run by whoever may have
 * changed the answer (a job queued, a slot freed, the sweep). Safe to run anywhere at once: taking
 * a slot the job holds already and starting an execution that runs already are both no-ops, and
 * the slot is always taken before the execution starts, so nothing runs over the limit.
 *
 * <p>The queue is read from a secondary index, which DynamoDB keeps only eventually consistent: a
 * job queued a moment ago may be missing from it. So the dispatch of whoever has just queued a job
 * also reads that job from the table itself, and a dispatch that leaves slots free reads the index
 * once more after {@code indexLag}, for a job queued while the slot was being freed.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int BATCH = 25;

    private final JobStore jobs;
    private final SlotLimiter slots;
    private final Executions executions;
    private final int limit;
    private final Clock clock;
    private final Duration indexLag;
    private final RetryPolicy.Sleeper sleeper;

    public Dispatcher(JobStore jobs, SlotLimiter slots, Executions executions, int limit, Clock clock) {
        this(jobs, slots, executions, limit, clock, Duration.ZERO, RetryPolicy.REAL_SLEEP);
    }

    public Dispatcher(JobStore jobs, SlotLimiter slots, Executions executions, int limit, Clock clock,
                      Duration indexLag, RetryPolicy.Sleeper sleeper) {
        this.jobs = jobs;
        this.slots = slots;
        this.executions = executions;
        this.limit = limit;
        this.clock = clock;
        this.indexLag = indexLag;
        this.sleeper = sleeper;
    }

    /** Admits jobs until the queue is empty or every slot is taken; the ids admitted, in order. */
    public List<String> dispatch() {
        return dispatch(null);
    }

    /**
     * As {@link #dispatch()}, by the caller that has just queued {@code justQueued} (null for none):
     * that job is admitted after every job the index shows, even where the index does not show it yet.
     */
    public List<String> dispatch(String justQueued) {
        List<String> admitted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean lookedAgain = false;
        while (true) {
            boolean fresh = false;
            for (Job job : jobs.waiting(BATCH)) {
                if (!seen.add(job.jobId())) {
                    continue; // an index that has not caught up yet shows a job admitted a moment ago
                }
                fresh = true;
                if (!takeSlot(job.jobId())) {
                    return admitted;
                }
                if (admit(job.jobId())) {
                    admitted.add(job.jobId());
                }
            }
            if (fresh) {
                continue;
            }
            if (justQueued != null && seen.add(justQueued)) {
                // the index has not caught up with the caller's own job: it comes after every job the index showed
                if (jobs.find(justQueued).filter(j -> j.status() == JobStatus.WAITING_FOR_SLOT).isPresent()) {
                    if (!takeSlot(justQueued)) {
                        return admitted;
                    }
                    if (admit(justQueued)) {
                        admitted.add(justQueued);
                    }
                }
                continue;
            }
            if (lookedAgain || indexLag.isZero() || justQueued != null) {
                return admitted; // the caller that queued a job has seen it; a job queued meanwhile dispatches itself
            }
            // slots are free and the queue looks empty: a job queued while a slot was freed may not be in the index yet
            lookedAgain = true;
            try {
                sleeper.sleep(indexLag);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return admitted;
            }
        }
    }

    /** Takes a slot for the job, or false when every slot is taken. */
    private boolean takeSlot(String jobId) {
        // a read first: while every slot is taken (the usual case with a backlog) no write is spent
        Set<String> holders = slots.holders();
        if (!holders.contains(jobId) && holders.size() >= limit) {
            return false;
        }
        return slots.tryAcquire(jobId, limit);
    }

    private boolean admit(String jobId) {
        Job job = jobs.get(jobId);
        if (job.status().isTerminal()) {
            slots.release(jobId); // canceled while it was being admitted
            return false;
        }
        if (job.status() != JobStatus.WAITING_FOR_SLOT) {
            return false; // admitted by another dispatcher
        }
        String name = ExecutionNames.next(job);
        String arn;
        try {
            arn = executions.start(name, jobId);
        } catch (Executions.StartRefusedException refused) {
            LOG.error("job {} cannot start: {}", jobId, refused.getMessage());
            jobs.update(jobId, j -> j.status().isTerminal() ? j
                    : j.withError(new Job.JobError("EXECUTION_NOT_STARTED", refused.getMessage(), null), clock.instant())
                            .moveTo(JobStatus.FAILED, clock.instant(), "EXECUTION_NOT_STARTED"));
            slots.release(jobId);
            return false;
        }
        Job moved = jobs.update(jobId, j -> j.status() != JobStatus.WAITING_FOR_SLOT ? j
                : j.withExecutionArn(arn).moveTo(JobStatus.ADMITTED, clock.instant(), "slot taken; execution " + name));
        LOG.info("admitted job {} as execution {}", jobId, name);
        return moved.status() == JobStatus.ADMITTED;
    }
}
