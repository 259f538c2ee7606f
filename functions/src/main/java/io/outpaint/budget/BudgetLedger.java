package io.outpaint.budget;

import java.time.Instant;

/**
 * The books of a budget: per period, the units spent (billed by Scenario) and the units reserved by
 * admitted jobs that have not ended. A reservation is one conditional write on the period's item, so
 * of two dispatchers reserving the last units at once one wins; its settlement replaces the reservation
 * by what was billed, once, and counts it on the day it was settled. The books are kept whether or
 * not a budget caps them: without one, a reservation is never refused, and the spend is still known.
 */
public interface BudgetLedger {

    /** What {@link #reserve} did. */
    sealed interface Reservation {
        String period();

        /** This call reserved the units. */
        record Reserved(String period, int units) implements Reservation {}

        /** The job held its reservation already (a repeated admission): nothing changed. */
        record HeldAlready(String period) implements Reservation {}

        /** The units do not fit: spent and reserved in the period as they were, and the budget. */
        record OverBudget(String period, long committed, int units, long budget) implements Reservation {}
    }

    /** A period's books: what was billed, what is reserved, and by how many jobs. */
    record Books(String period, long spent, long reserved, int holders) {
        public long committed() {
            return spent + reserved;
        }
    }

    /** Reserves {@code units} for {@code jobId} in the period {@code now} falls in, if spent + reserved + units stays within the budget. */
    Reservation reserve(String jobId, int units, Budget budget, Instant now);

    /**
     * Replaces the job's reservation in {@code period} by {@code billed}, counted with its job on the
     * day {@code at} falls in ({@link BudgetPeriod#dayWithin}); nothing when it holds none there (settled already).
     */
    void settle(String jobId, String period, int billed, Instant at);

    /** One day of a period's books: the units settled that day and the jobs they were settled for. */
    record Day(String day, long spent, int jobs) {}

    /** The days of {@code period} on which units were settled, in order. */
    java.util.List<Day> days(String period);

    Books books(String period);

    /** The reservations held in {@code period}: job id to units (the sweep settles those whose job has ended). */
    java.util.Map<String, Integer> holds(String period);
}
