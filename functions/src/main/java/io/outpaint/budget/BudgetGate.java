package io.outpaint.budget;

import io.outpaint.job.Job;
import io.outpaint.segments.Segments;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget as admission uses it: whether a job's estimate fits the period's books, its
 * reservation, and its settlement when its slot is given back. The budget is read on every call
 * (a setting that may change while jobs wait). Without one every job fits, and the books are kept
 * all the same (in periods of BUDGET_PERIOD, a day by default): a reservation that is never refused,
 * settled to what was billed, so that the spend is known with or without a cap.
 */
public final class BudgetGate {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetGate.class);

    private final BudgetLedger ledger;
    private final Supplier<Optional<Budget>> budget;
    private final Clock clock;
    private final BudgetPeriod unbudgeted;

    public BudgetGate(BudgetLedger ledger, Supplier<Optional<Budget>> budget, Clock clock) {
        this(ledger, budget, clock, BudgetPeriod.DAY);
    }

    /** With {@code unbudgeted}: the periods the books are kept in while no budget is set. */
    public BudgetGate(BudgetLedger ledger, Supplier<Optional<Budget>> budget, Clock clock, BudgetPeriod unbudgeted) {
        this.ledger = ledger;
        this.budget = budget;
        this.clock = clock;
        this.unbudgeted = unbudgeted;
    }

    public Optional<Budget> budget() {
        return budget.get();
    }

    /** The kind of period the books are kept in now: the budget's, or BUDGET_PERIOD's without one. */
    public BudgetPeriod period() {
        return budget.get().map(Budget::period).orElse(unbudgeted);
    }

    /** This gate over another budget setting (its ledger, clock and unbudgeted period kept). */
    public BudgetGate over(Supplier<Optional<Budget>> value) {
        return new BudgetGate(ledger, value, clock, unbudgeted);
    }

    public boolean isOn() {
        return budget.get().isPresent();
    }

    public BudgetLedger ledger() {
        return ledger;
    }

    /**
     * One dispatch pass's view of the books: the period's committed units read once (when first
     * needed), plus what this pass plans to reserve. An answer to guide the pass, never the decision:
     * the conditional reservation decides.
     */
    public final class Pass {
        private final Optional<Budget> held = budget.get();
        private Long committed;

        /** Why {@code job} does not fit what is left this period (its units counted as planned if it fits); empty if it fits. */
        public Optional<String> refusal(Job job) {
            if (held.isEmpty() || Segments.isParent(job)) {
                return Optional.empty();
            }
            Integer estimate = job.billingOrNone().estimate();
            if (estimate == null) {
                return Optional.of(NO_ESTIMATE);
            }
            String period = held.get().period().of(clock.instant());
            if (committed == null) {
                committed = ledger.books(period).committed();
            }
            if (committed + estimate > held.get().creativeUnits()) {
                return Optional.of(overBudget(period, committed, estimate, held.get()));
            }
            committed += estimate;
            return Optional.empty();
        }
    }

    static final String NO_ESTIMATE = "its cost is not known yet, so the budget cannot hold it; each dispatch asks its price again"
            + " (at the latest the periodic sweep, which may ask Scenario for it)";

    /** The reason a job without an estimate waits, with why it has none now. */
    public static String noEstimate(String why) {
        return NO_ESTIMATE + ": " + why;
    }

    public Pass pass() {
        return new Pass();
    }

    /** What the gate said to one job: admitted with units held in {@code period} (null without a budget), or refused with a reason. */
    public sealed interface Decision {
        record Admit(String period) implements Decision {}
        record Refuse(String reason) implements Decision {}
    }

    /**
     * Reserves the job's estimate in the current period (a repeated call finds its hold): the decision
     * that counts. A long clip's parent reserves nothing (its estimate is its segments', which they reserve). Without a budget the hold is on the books only (its estimate, 0 when it has none) and
     * is never refused; without a ledger nothing is held.
     */
    public Decision reserve(Job job) {
        if (ledger == null || Segments.isParent(job)) {
            // a long clip's parent holds nothing: each of its segments is a job that reserves and settles its own units
            return new Decision.Admit(null);
        }
        Optional<Budget> held = budget.get();
        Integer estimate = job.billingOrNone().estimate();
        if (held.isEmpty()) {
            String period = ledger.reserve(job.jobId(), estimate == null ? 0 : estimate, new Budget(Long.MAX_VALUE, unbudgeted),
                    clock.instant()).period();
            return new Decision.Admit(period);
        }
        if (estimate == null) {
            return new Decision.Refuse(NO_ESTIMATE);
        }
        BudgetLedger.Reservation reservation = ledger.reserve(job.jobId(), estimate, held.get(), clock.instant());
        if (reservation instanceof BudgetLedger.Reservation.OverBudget over) {
            return new Decision.Refuse(overBudget(over.period(), over.committed(), estimate, held.get()));
        }
        LOG.info("job {}: {} creative units reserved in budget period {}", job.jobId(), estimate, reservation.period());
        return new Decision.Admit(reservation.period());
    }

    /** Gives back a hold this gate made in {@code period} for a job that never reached Scenario. */
    public void release(String jobId, String period) {
        if (period != null && ledger != null) {
            ledger.settle(jobId, period, 0, clock.instant());
        }
    }

    /**
     * Settles the job's reservation, if it holds one, to what it cost ({@link #unitsSpent}); the books
     * of its period after, or empty when it held none or the settlement failed (left to the sweep).
     */
    public Optional<BudgetLedger.Books> settle(Job job) {
        String period = job.billingOrNone().budgetPeriod();
        if (period == null || ledger == null) {
            return Optional.empty();
        }
        try {
            ledger.settle(job.jobId(), period, unitsSpent(job), clock.instant());
            return Optional.of(ledger.books(period));
        } catch (RuntimeException e) {
            LOG.warn("job {}: its reservation in {} not settled now ({}); the sweep will", job.jobId(), period, e.toString());
            return Optional.empty();
        }
    }

    /**
     * What a job's reservation settles to: what Scenario billed once known; 0 when the generate call was
     * never sent; else its estimate (Scenario's job may still end and be billed: the books err high).
     */
    public static int unitsSpent(Job job) {
        if (Segments.isParent(job)) {
            return 0; // its segments settle what Scenario billed for them; a hold made before it was known to be one is given back
        }
        Job.Billing billing = job.billingOrNone();
        if (billing.billed() != null) {
            return billing.billed();
        }
        if (job.scenario().jobId() == null && job.scenario().submittingAt() == null) {
            return 0;
        }
        return billing.estimate() == null ? 0 : billing.estimate();
    }

    /**
     * The sweep's repair of the books, this period and the one before: a hold whose job has ended
     * (a crash between its end and its settlement) is settled; one whose job is gone settles to its
     * units; one left in a period the job did not run in (reserved again after a rollover) is given back.
     */
    public List<String> heal(Function<String, Optional<Job>> jobs) {
        List<String> settled = new ArrayList<>();
        if (ledger == null) {
            return settled;
        }
        BudgetPeriod kind = period();
        Instant now = clock.instant();
        Instant before = kind == BudgetPeriod.DAY ? now.minus(java.time.Duration.ofDays(1))
                : now.atZone(ZoneOffset.UTC).minusMonths(1).toInstant();
        for (String period : List.of(kind.of(before), kind.of(now))) {
            for (Map.Entry<String, Integer> hold : ledger.holds(period).entrySet()) {
                Optional<Job> job = jobs.apply(hold.getKey());
                int units;
                if (job.isEmpty()) {
                    units = hold.getValue();
                } else if (job.get().status().isTerminal()) {
                    units = unitsSpent(job.get());
                } else if (job.get().billingOrNone().budgetPeriod() != null && !period.equals(job.get().billingOrNone().budgetPeriod())) {
                    units = 0;
                } else {
                    continue;
                }
                ledger.settle(hold.getKey(), period, units, now);
                settled.add(hold.getKey());
            }
        }
        return settled;
    }

    private static String overBudget(String period, long committed, int estimate, Budget budget) {
        return "the budget of " + period + " is " + budget.creativeUnits() + " creative units, " + committed
                + " of them spent or reserved; this job's estimate of " + estimate + " does not fit until the next period"
                + " or a larger budget";
    }
}
