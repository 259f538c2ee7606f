package io.outpaint.store;

import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.budget.BudgetPeriod;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link BudgetLedger} in memory, with the DynamoDB ledger's rules: for fast tests. */
public final class InMemoryBudgetLedger implements BudgetLedger {

    private static final class Period {
        long spent;
        final Map<String, Integer> holds = new HashMap<>();
        final java.util.TreeMap<String, Day> days = new java.util.TreeMap<>();

        long reserved() {
            return holds.values().stream().mapToLong(Integer::longValue).sum();
        }
    }

    private final Map<String, Period> periods = new HashMap<>();

    @Override
    public synchronized Reservation reserve(String jobId, int units, Budget budget, Instant now) {
        String name = budget.period().of(now);
        Period period = periods.computeIfAbsent(name, n -> new Period());
        if (period.holds.containsKey(jobId)) {
            return new Reservation.HeldAlready(name);
        }
        long committed = period.spent + period.reserved();
        if (committed + units > budget.creativeUnits()) {
            return new Reservation.OverBudget(name, committed, units, budget.creativeUnits());
        }
        period.holds.put(jobId, units);
        return new Reservation.Reserved(name, units);
    }

    @Override
    public synchronized void settle(String jobId, String period, int billed, Instant at) {
        Period books = periods.get(period);
        if (books != null && books.holds.remove(jobId) != null) {
            books.spent += billed;
            books.days.merge(BudgetPeriod.dayWithin(period, at), new Day(BudgetPeriod.dayWithin(period, at), billed, 1),
                    (was, add) -> new Day(was.day(), was.spent() + add.spent(), was.jobs() + 1));
        }
    }

    @Override
    public synchronized List<Day> days(String period) {
        Period books = periods.get(period);
        return books == null ? List.of() : List.copyOf(books.days.values());
    }

    @Override
    public synchronized Books books(String period) {
        Period books = periods.get(period);
        return books == null ? new Books(period, 0, 0, 0) : new Books(period, books.spent, books.reserved(), books.holds.size());
    }

    @Override
    public synchronized Map<String, Integer> holds(String period) {
        Period books = periods.get(period);
        return books == null ? Map.of() : Map.copyOf(books.holds);
    }
}
