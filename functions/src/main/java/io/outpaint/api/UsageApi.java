package io.outpaint.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetGate;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.budget.BudgetPeriod;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /usage?period=}: one period's spend as the budget's books hold it (the books admission
 * reserves in, kept with or without a budget): spent, reserved, what is left of the budget, the jobs,
 * and each day's share. The period is named as BUDGET_PERIOD names them; the current one by default.
 */
public final class UsageApi {

    private final BudgetGate books;
    private final Clock clock;

    public UsageApi(BudgetGate books, Clock clock) {
        this.books = books;
        this.clock = clock;
    }

    public JobsApi.Answer usage(Map<String, String> query) {
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            if (!parameter.getKey().equals("period")) {
                throw ApiError.badField(parameter.getKey(), parameter.getValue(), "not a parameter of /usage; allowed: period");
            }
        }
        BudgetPeriod kind = books.period();
        String period = query.get("period");
        if (period == null) {
            period = kind.of(clock.instant());
        } else {
            String asked = period;
            kind.problemWith(asked).ifPresent(allowed -> {
                throw ApiError.badField("period", asked, allowed);
            });
        }
        BudgetLedger ledger = books.ledger();
        BudgetLedger.Books held = ledger == null ? new BudgetLedger.Books(period, 0, 0, 0) : ledger.books(period);
        List<BudgetLedger.Day> settled = ledger == null ? List.of() : ledger.days(period);
        Optional<Budget> budget = books.budget();

        ObjectNode body = JobsApi.JSON.createObjectNode();
        body.put("period", period);
        body.put("periodKind", kind.name().toLowerCase(java.util.Locale.ROOT));
        body.put("current", period.equals(kind.of(clock.instant())));
        if (budget.isPresent()) {
            body.put("budget", budget.get().creativeUnits());
        } else {
            body.putNull("budget");
        }
        body.put("spent", held.spent());
        body.put("reserved", held.reserved());
        if (budget.isPresent()) {
            body.put("remaining", Math.max(0, budget.get().creativeUnits() - held.committed()));
        } else {
            body.putNull("remaining");
        }
        int ended = settled.stream().mapToInt(BudgetLedger.Day::jobs).sum();
        body.put("jobs", ended + held.holders());
        body.put("jobsReserving", held.holders());
        body.set("byDay", byDay(kind, period, settled));
        return new JobsApi.Answer(200, body);
    }

    /** Every day of the period up to today (all of a past one), with its settled units and jobs; zeros where none. */
    private ArrayNode byDay(BudgetPeriod kind, String period, List<BudgetLedger.Day> settled) {
        Map<String, BudgetLedger.Day> found = new HashMap<>();
        settled.forEach(d -> found.put(d.day(), d));
        LocalDate[] span = kind.days(period);
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = span[1].isAfter(today) ? today : span[1];
        ArrayNode days = JobsApi.JSON.createArrayNode();
        for (LocalDate day = span[0]; !day.isAfter(last); day = day.plusDays(1)) {
            BudgetLedger.Day entry = found.getOrDefault(day.toString(), new BudgetLedger.Day(day.toString(), 0, 0));
            days.addObject().put("day", entry.day()).put("spent", entry.spent()).put("jobs", entry.jobs());
        }
        return days;
    }
}
