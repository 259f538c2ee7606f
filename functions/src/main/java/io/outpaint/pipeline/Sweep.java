package io.outpaint.pipeline;

import io.outpaint.budget.BudgetGate;
import io.outpaint.job.Job;
import io.outpaint.segments.Segments;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.queue.ExecutionNames;
import io.outpaint.queue.Executions;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic repair (a schedule on AWS, a timer and every start in the local runtime): every job
 * in flight must have a running execution; one whose execution failed, timed out or was stopped
 * is reconciled, one whose execution vanished (or never started) is resumed in a new execution,
 * keeping its slot (every step is safe to run again; Submit never makes a second Scenario job).
 * An API job still QUEUED a while after it was created, whose upload is in the bucket, had its
 * S3 event lost: it is handed to the upload trigger's own path now (checked, then queued, or
 * refused). Then slots held by jobs that ended are freed, budget reservations left by a crash are
 * settled ({@link BudgetGate#heal}), and the queue is dispatched: a job waiting for the budget is
 * admitted here once a new period opens or the budget is raised.
 */
public final class Sweep {

    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);
    private static final int PAGE = 100;

    /** What one sweep did. */
    public record Report(List<String> resumed, List<String> reconciled, List<String> slotsFreed, List<String> uploadsFound,
                         List<String> holdsSettled) {
        public static Report empty() {
            return new Report(List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }

    /**
     * The upload trigger's path for an API job's upload that landed: true if the job's upload is in
     * the bucket and was handed on (queued, or refused as not a video).
     */
    @FunctionalInterface
    public interface AwaitedUploads {
        boolean landed(Job job);

        AwaitedUploads NONE = job -> false;
    }



    private final JobStore jobs;
    private final SlotLimiter slots;
    private final Executions executions;
    private final Reconcile reconcile;
    private final Admission admission;
    private final int limit;
    /** How long after its job's creation an upload can still land: its URL's hour, and a few sweeps. */
    static final java.time.Duration UPLOAD_WINDOW = java.time.Duration.ofMinutes(90);

    private final AwaitedUploads uploads;
    private final java.time.Duration eventGrace;
    private final java.time.Clock clock;
    private BudgetGate budgets;
    private SegmentFanIn fanIn;

    public Sweep(JobStore jobs, SlotLimiter slots, Executions executions, Reconcile reconcile, Admission admission, int limit) {
        this(jobs, slots, executions, reconcile, admission, limit, AwaitedUploads.NONE, java.time.Duration.ofMinutes(2),
                java.time.Clock.systemUTC());
    }

    /** With {@code uploads}, for API jobs still QUEUED {@code eventGrace} after they were created (longer than an S3 event takes). */
    public Sweep(JobStore jobs, SlotLimiter slots, Executions executions, Reconcile reconcile, Admission admission, int limit,
                 AwaitedUploads uploads, java.time.Duration eventGrace, java.time.Clock clock) {
        this.uploads = uploads;
        this.eventGrace = eventGrace;
        this.clock = clock;
        this.jobs = jobs;
        this.slots = slots;
        this.executions = executions;
        this.reconcile = reconcile;
        this.admission = admission;
        this.limit = limit;
    }

    /** This sweep, healing the books of {@code value} too. */
    public Sweep withBudgets(BudgetGate value) {
        this.budgets = value;
        return this;
    }

    /** This sweep, healing the fan-in of parents whose segments run ({@link SegmentFanIn#heal}). */
    public Sweep withFanIn(SegmentFanIn value) {
        this.fanIn = value;
        return this;
    }

    public Report run() {
        Report report = new Report(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try {
            for (JobStatus status : JobStatus.values()) {
                if (!status.isInFlight()) {
                    continue;
                }
                Optional<String> token = Optional.empty();
                do {
                    JobStore.Page page = jobs.list(Optional.of(status), PAGE, token);
                    for (Job job : page.jobs()) {
                        try {
                            check(job, report);
                        } catch (RuntimeException e) {
                            // one job that cannot be repaired now must not stop the repair of the others
                            LOG.error("sweep: job {} not repaired this time: {}", job.jobId(), e.toString());
                        }
                    }
                    token = page.nextToken();
                } while (token.isPresent());
            }
            healFanIns(report);
            try {
                findLandedUploads(report);
            } catch (RuntimeException e) {
                LOG.error("sweep: uploads not looked for this time: {}", e.toString());
            }
        } finally {
            for (String holder : slots.holders()) {
                boolean ended = jobs.find(holder).map(j -> j.status().isTerminal() && !endUnrecorded(j)).orElse(true);
                if (ended) {
                    slots.release(holder);
                    report.slotsFreed().add(holder);
                }
            }
            if (budgets != null) {
                try {
                    report.holdsSettled().addAll(budgets.heal(jobs::find));
                } catch (RuntimeException e) {
                    LOG.error("sweep: the budget's books not healed this time: {}", e.toString());
                }
            }
            admission.dispatch();
        }
        if (!report.resumed().isEmpty() || !report.reconciled().isEmpty() || !report.slotsFreed().isEmpty()
                || !report.uploadsFound().isEmpty() || !report.holdsSettled().isEmpty()) {
            LOG.warn("sweep: resumed {}, reconciled {}, freed the slots of {}, found the uploads of {}, settled the holds of {}",
                    report.resumed(), report.reconciled(), report.slotsFreed(), report.uploadsFound(), report.holdsSettled());
        }
        return report;
    }

    /**
     * Whether {@code job} is a segment whose end its parent has not recorded yet: its fan-in (RecordFailure's or
     * CopyResults') is under way, and a failed segment's slot must stay held until its second attempt is queued, so
     * that this attempt, not the parent's next segment, is admitted next. An end that never reached the parent is
     * recorded by {@link #healFanIns} (which hands the slot on), so a slot is held this way for a sweep at most.
     */
    private boolean endUnrecorded(Job job) {
        return Segments.segmentOf(job).map(of -> jobs.find(of.parent())
                .filter(parent -> parent.status() == JobStatus.RENDERING_SEGMENTS && Segments.isParent(parent))
                .map(Segments::items)
                .filter(items -> of.index() < items.size())
                .map(items -> items.get(of.index()))
                .map(item -> item.jobId().equals(job.jobId()) && item.status() != job.status())
                .orElse(false)).orElse(false);
    }

    /** Parents whose segments run: a segment's end that never reached its parent is recorded now, and the join started. */
    private void healFanIns(Report report) {
        if (fanIn == null) {
            return;
        }
        Optional<String> token = Optional.empty();
        do {
            JobStore.Page page = jobs.list(Optional.of(JobStatus.RENDERING_SEGMENTS), PAGE, token);
            for (Job parent : page.jobs()) {
                try {
                    jobs.find(parent.jobId()).map(fanIn::heal).ifPresent(report.resumed()::addAll);
                } catch (RuntimeException e) {
                    LOG.error("sweep: the segments of {} not looked at this time: {}", parent.jobId(), e.toString());
                }
            }
            token = page.nextToken();
        } while (token.isPresent());
    }

    /** API jobs QUEUED for longer than an S3 event takes whose upload is there: their event was lost. */
    private void findLandedUploads(Report report) {
        java.time.Instant before = clock.instant().minus(eventGrace);
        // an upload URL lives an hour: a job older than that (and a few sweeps more) gets no upload now
        java.time.Instant after = clock.instant().minus(UPLOAD_WINDOW).minus(eventGrace);
        Optional<String> token = Optional.empty();
        do {
            JobStore.Page page = jobs.list(Optional.of(JobStatus.QUEUED), PAGE, token);
            for (Job job : page.jobs()) {
                if (job.createdAt() == null || !job.createdAt().isBefore(before) || job.createdAt().isBefore(after)
                        || job.source() == null || job.source().key() == null) {
                    continue;
                }
                try {
                    if (uploads.landed(job)) {
                        report.uploadsFound().add(job.jobId());
                    }
                } catch (RuntimeException e) {
                    LOG.error("sweep: the upload of job {} not looked at this time: {}", job.jobId(), e.toString());
                } finally {
                    org.slf4j.MDC.remove("jobId");
                }
            }
            token = page.nextToken();
        } while (token.isPresent());
    }

    private void check(Job listed, Report report) {
        // the page came from an index that may lag: act on the record as it is now
        Optional<Job> current = jobs.find(listed.jobId()).filter(j -> j.status().isInFlight());
        if (current.isEmpty()) {
            return;
        }
        Job job = current.get();
        Executions.State state = job.executionArn() == null ? Executions.State.MISSING : executions.describe(job.executionArn());
        switch (state) {
            case RUNNING -> { }
            case FAILED, TIMED_OUT, ABORTED -> {
                reconcile.executionEnded(job.jobId(), job.executionArn(), state, null, "found by the sweep");
                report.reconciled().add(job.jobId());
            }
            default -> resume(job, report);
        }
    }

    /** A new execution for a job whose execution is gone; it keeps (or takes back) its slot. */
    private void resume(Job job, Report report) {
        if (!job.status().isPastScenario()) {
            slots.tryAcquire(job.jobId(), limit); // a copy or a finish holds no slot: Scenario's part is done
        }
        String name = ExecutionNames.next(job);
        // recorded before it starts: the new execution's Admit finds itself the job's execution, and an older one that
        // is somehow still alive finds it is not
        jobs.update(job.jobId(), j -> j.withExecutionArn(executions.arnOf(name)));
        try {
            executions.start(name, job.jobId());
        } catch (Executions.StartRefusedException refused) {
            reconcile.executionEnded(job.jobId(), executions.arnOf(name), Executions.State.FAILED, "EXECUTION_NOT_STARTED",
                    refused.getMessage());
            throw refused;
        }
        LOG.warn("job {} ({}) had no running execution; resumed as {}", job.jobId(), job.status(), name);
        report.resumed().add(job.jobId());
    }
}
