package io.outpaint.queue;

import io.outpaint.budget.BudgetGate;
import io.outpaint.budget.Estimator;
import io.outpaint.segments.Segments;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import io.outpaint.scenario.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 *
 * <p>With a budget, a job is started only once its estimate is reserved in the period's books, and
 * the slot comes first: slot, then reservation, then start. So units are only ever reserved by a
 * job that holds a slot and is being started (a crash in between leaves a job holding both, which
 * the next dispatch starts); a job whose estimate does not fit gives its slot back and waits as
 * WAITING_FOR_BUDGET, and no reservation is ever given back that another dispatcher may count on.
 * Order is kept: the jobs behind a job the budget holds back wait too (those a slot would be free
 * for are marked WAITING_FOR_BUDGET), even a smaller one that would fit.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int BATCH = 25;
    /** Threads that start a batch's executions at once; each call waits for its own starts before it returns. */
    private static final ExecutorService STARTERS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "dispatcher-start");
        t.setDaemon(true);
        return t;
    });

    private final JobStore jobs;
    private final SlotLimiter slots;
    private final Executions executions;
    private final int limit;
    private final Clock clock;
    private final Duration indexLag;
    private final RetryPolicy.Sleeper sleeper;
    private final BudgetGate budget;
    private final Estimator estimator;

    public Dispatcher(JobStore jobs, SlotLimiter slots, Executions executions, int limit, Clock clock) {
        this(jobs, slots, executions, limit, clock, Duration.ZERO, RetryPolicy.REAL_SLEEP);
    }

    public Dispatcher(JobStore jobs, SlotLimiter slots, Executions executions, int limit, Clock clock,
                      Duration indexLag, RetryPolicy.Sleeper sleeper) {
        this(jobs, slots, executions, limit, clock, indexLag, sleeper, new BudgetGate(null, Optional::empty, clock));
    }

    public Dispatcher(JobStore jobs, SlotLimiter slots, Executions executions, int limit, Clock clock,
                      Duration indexLag, RetryPolicy.Sleeper sleeper, BudgetGate budget) {
        this(jobs, slots, executions, limit, clock, indexLag, sleeper, budget, Estimator.NONE);
    }

    /** With {@code estimator}, which prices a waiting job that has none when a budget must hold it. */
    public Dispatcher(JobStore jobs, SlotLimiter slots, Executions executions, int limit, Clock clock,
                      Duration indexLag, RetryPolicy.Sleeper sleeper, BudgetGate budget, Estimator estimator) {
        this.estimator = estimator;
        this.budget = budget;
        this.jobs = jobs;
        this.slots = slots;
        this.executions = executions;
        this.limit = limit;
        this.clock = clock;
        this.indexLag = indexLag;
        this.sleeper = sleeper;
    }

    /**
     * Admits jobs until the queue is empty or every slot is taken; the ids admitted, in order. A
     * batch's slots are taken in creation order, in one write where the store can ({@link
     * SlotLimiter#acquireAll}); the executions of the jobs given a slot in one batch are then
     * started at once (each start is independent of the others, and the slots already fix who goes
     * first). A job whose slot another dispatcher took (it is starting it, or failed to) is
     * looked at again once the rest is done, and started then if it still waits: dispatchers running
     * at once spread over the queue instead of each repeating every admission.
     */
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
        List<String> takenByOthers = new ArrayList<>();
        boolean lookedAgain = false;
        while (true) {
            boolean fresh = false;
            boolean full = false;
            List<String> taken = new ArrayList<>();
            BudgetGate.Pass books = budget.pass();
            String heldBack = null; // the first job the budget holds back: none behind it goes before it
            int parked = 0;         // jobs a slot was free for that wait for the budget
            // a read first: while every slot is taken (the usual case with a backlog) no write is spent. One read a
            // batch, kept up to date with what this call takes: the conditional acquire below is what decides
            Set<String> holders = null;
            List<String> candidates = new ArrayList<>();
            for (Job job : jobs.waiting(BATCH)) {
                if (!seen.add(job.jobId())) {
                    continue; // an index that has not caught up yet shows a job admitted a moment ago
                }
                fresh = true;
                if (holders == null) {
                    holders = new HashSet<>(slots.holders());
                }
                if (holders.contains(job.jobId())) {
                    takenByOthers.add(job.jobId()); // its slot is taken already: no write, and its start is left to its taker for now
                    continue;
                }
                if (holders.size() + candidates.size() + parked >= limit) {
                    full = true;
                    seen.remove(job.jobId()); // still waiting: a scan again (a slot given back below) looks at it
                    if (heldBack == null && job.status() == JobStatus.WAITING_FOR_BUDGET && books.refusal(job).isEmpty()) {
                        park(job, JobStatus.WAITING_FOR_SLOT, "the budget holds it now; every slot taken");
                    }
                    break;
                }
                Optional<String> unpriced = Optional.empty();
                if (heldBack == null && budget.isOn() && job.billingOrNone().estimate() == null) {
                    Estimator.Outcome priced = estimator.estimate(job);
                    job = priced(job, priced);
                    if (!job.status().isWaiting()) {
                        continue; // it can never run: failed here, as the pipeline would fail it
                    }
                    if (priced instanceof Estimator.Outcome.NotNow notNow && !Segments.isParent(job)) { // a parent holds nothing: it need not wait
                        unpriced = Optional.of(BudgetGate.noEstimate(notNow.reason()));
                    }
                }
                Optional<String> refused = heldBack != null ? Optional.of(behind(heldBack)) : unpriced.isPresent() ? unpriced
                        : books.refusal(job);
                if (refused.isPresent()) {
                    park(job, JobStatus.WAITING_FOR_BUDGET, refused.get());
                    heldBack = heldBack == null ? job.jobId() : heldBack;
                    parked++;
                    continue;
                }
                candidates.add(job.jobId());
            }
            // the batch's slots in creation order, in one write where the store can (room for all, none held yet)
            List<SlotLimiter.Acquired> found = slots.acquireAll(candidates, limit);
            for (int i = 0; i < candidates.size(); i++) {
                String jobId = candidates.get(i);
                switch (found.get(i)) {
                    case FULL -> {
                        full = true;
                        seen.remove(jobId); // still waiting: a scan again (a slot given back below) looks at it
                    }
                    case HELD -> {
                        holders.add(jobId);
                        takenByOthers.add(jobId); // another dispatcher took it a moment ago
                    }
                    case TAKEN -> {
                        holders.add(jobId);
                        taken.add(jobId);
                    }
                }
            }
            // slot, then reservation, in queue order: the first the budget refuses, and every one after it, give their slots back
            Map<String, String> periods = new HashMap<>();
            List<String> reserved = new ArrayList<>();
            String refusedFirst = null; // every job taken here is ahead of any the books held back above
            for (String jobId : taken) {
                BudgetGate.Decision decision = refusedFirst != null ? new BudgetGate.Decision.Refuse(behind(refusedFirst))
                        : budget.reserve(jobs.get(jobId));
                if (decision instanceof BudgetGate.Decision.Admit admit) {
                    periods.put(jobId, admit.period());
                    reserved.add(jobId);
                } else {
                    refusedFirst = refusedFirst == null ? jobId : refusedFirst;
                    holdBack(jobId, ((BudgetGate.Decision.Refuse) decision).reason());
                }
            }
            heldBack = refusedFirst != null ? refusedFirst : heldBack;
            boolean allStarted = admitAll(reserved, periods, admitted);
            if (heldBack != null) {
                break; // order kept: nothing behind a job the budget holds back is admitted before it
            }
            if (full && allStarted) {
                break;
            }
            if (fresh) {
                continue; // a job not started (refused, canceled) may have given its slot back: the scan goes on
            }
            if (justQueued != null && seen.add(justQueued)) {
                // the index has not caught up with the caller's own job: it comes after every job the index showed
                if (jobs.find(justQueued).filter(j -> j.status() == JobStatus.WAITING_FOR_SLOT).isPresent()
                        && slots.acquire(justQueued, limit) != SlotLimiter.Acquired.FULL && admit(justQueued, null, true)) {
                    admitted.add(justQueued);
                }
                break;
            }
            if (lookedAgain || indexLag.isZero() || justQueued != null || full) {
                break; // the caller that queued a job has seen it; a job queued meanwhile dispatches itself
            }
            // slots are free and the queue looks empty: a job queued while a slot was freed may not be in the index yet
            lookedAgain = true;
            try {
                sleeper.sleep(indexLag);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // by now their takers have most likely recorded them ADMITTED (a read each); one still waiting is started here
        for (String jobId : takenByOthers) {
            if (admit(jobId, null, false)) {
                admitted.add(jobId);
            }
        }
        return admitted;
    }

    /** Starts the jobs that took a slot, at once, adding the started ones to {@code admitted} in order; true if all were. */
    private boolean admitAll(List<String> taken, Map<String, String> periods, List<String> admitted) {
        if (taken.size() <= 1) {
            boolean started = taken.isEmpty() || admit(taken.get(0), periods.get(taken.get(0)), true);
            if (started && !taken.isEmpty()) {
                admitted.add(taken.get(0));
            }
            return started;
        }
        List<Future<Boolean>> starts = new ArrayList<>();
        for (String jobId : taken) {
            starts.add(STARTERS.submit(() -> admit(jobId, periods.get(jobId), true)));
        }
        boolean all = true;
        RuntimeException failure = null;
        for (int i = 0; i < taken.size(); i++) {
            try {
                if (starts.get(i).get()) {
                    admitted.add(taken.get(i));
                } else {
                    all = false;
                }
            } catch (ExecutionException e) {
                // the first failure is thrown once every start has ended, as a start one at a time would throw it
                all = false;
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting executions", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return all;
    }

    /**
     * Starts a job that holds a slot; {@code period}: where this pass reserved its units (null when it
     * did not, or without a budget: reserved here then). {@code slotTakenHere}: false for a job whose
     * slot another dispatcher took, which may since have given it back to the budget.
     */
    private boolean admit(String jobId, String period, boolean slotTakenHere) {
        Job job = jobs.get(jobId);
        if (job.status().isTerminal()) {
            slots.release(jobId); // canceled while it was being admitted
            budget.release(jobId, period);
            return false;
        }
        if (!job.status().isWaiting()) {
            return false; // admitted by another dispatcher
        }
        if (!slotTakenHere && job.status() == JobStatus.WAITING_FOR_BUDGET && !slots.holders().contains(jobId)) {
            return false; // its taker gave the slot back: the budget holds it
        }
        if (period == null) { // reserved by no pass of this call: here (on the books only, without a budget)
            BudgetGate.Decision decision = budget.reserve(job);
            if (decision instanceof BudgetGate.Decision.Refuse refuse) {
                holdBack(jobId, refuse.reason());
                return false;
            }
            period = ((BudgetGate.Decision.Admit) decision).period();
        }
        String reservedIn = period;
        String name = ExecutionNames.next(job);
        String arn;
        try {
            arn = executions.start(name, jobId);
        } catch (Executions.StartRefusedException refused) {
            LOG.error("job {} cannot start: {}", jobId, refused.getMessage());
            jobs.update(job, j -> j.status().isTerminal() ? j
                    : j.withError(new Job.JobError("EXECUTION_NOT_STARTED", refused.getMessage(), null), clock.instant())
                            .moveTo(JobStatus.FAILED, clock.instant(), "EXECUTION_NOT_STARTED"));
            slots.release(jobId);
            budget.release(jobId, reservedIn);
            return false;
        }
        Job moved = jobs.update(job, j -> !j.status().isWaiting() ? j
                : (reservedIn == null ? j : j.withBilling(j.billingOrNone().withBudgetPeriod(reservedIn), clock.instant()))
                        .withExecutionArn(arn).moveTo(JobStatus.ADMITTED, clock.instant(), "slot taken"
                                + (reservedIn == null ? "" : budget.isOn() ? ", estimate reserved in budget period " + reservedIn
                                        : ", on the books of " + reservedIn) + "; execution " + name));
        if (moved.status().isTerminal() && moved.billingOrNone().budgetPeriod() == null) {
            budget.release(jobId, reservedIn); // canceled between the reservation and this write: its end settled nothing
        }
        LOG.info("admitted job {} as execution {}", jobId, name);
        return moved.status() == JobStatus.ADMITTED;
    }

    /**
     * A waiting job without an estimate, after {@code outcome}: priced (recorded on it), failed when it can
     * never be priced (its request or video unreadable: nothing was reserved or sent), or as it was.
     */
    private Job priced(Job job, Estimator.Outcome outcome) {
        java.time.Instant now = clock.instant();
        if (outcome instanceof Estimator.Outcome.Priced priced) {
            LOG.info("job {}: priced in the queue at {} creative units{}", job.jobId(), priced.creativeUnits(),
                    priced.rule() == null ? "" : " (" + priced.rule() + ")");
            return jobs.update(job, j -> j.billingOrNone().estimate() != null ? j
                    : (priced.segments() == null || j.segments() != null ? j : j.withSegments(priced.segments(), now))
                            .withBilling(j.billingOrNone().withEstimate(priced.creativeUnits()), now));
        }
        if (outcome instanceof Estimator.Outcome.Never never) {
            LOG.error("job {} fails in the queue ({}): {}", job.jobId(), never.code(), never.reason());
            return jobs.update(job, j -> !j.status().isWaiting() ? j
                    : j.withError(new Job.JobError(never.code(), never.reason(), null), now).moveTo(JobStatus.FAILED, now, never.code()));
        }
        return job;
    }

    /** A waiting job to {@code status} with the reason; a job that has moved on meanwhile is left as it is. */
    private Job park(Job job, JobStatus status, String reason) {
        return jobs.update(job, j -> j.status().isWaiting() && j.status() != status ? j.moveTo(status, clock.instant(), reason) : j);
    }

    /** A job given a slot that the budget refuses: it waits for the budget, then gives its slot back. */
    private void holdBack(String jobId, String reason) {
        Job parked = park(jobs.get(jobId), JobStatus.WAITING_FOR_BUDGET, reason);
        if (parked.status() == JobStatus.WAITING_FOR_BUDGET) {
            slots.release(jobId);
            LOG.info("job {} waits for the budget: {}", jobId, reason);
        }
    }

    private static String behind(String heldBack) {
        return "behind job " + heldBack + ", which waits for the budget (jobs are admitted in order)";
    }
}
