package io.outpaint.budget;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The span a budget holds for, in UTC: each instant belongs to one period, named by its start. */
public enum BudgetPeriod {
    DAY(DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC)),
    MONTH(DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC));

    private final DateTimeFormatter name;

    BudgetPeriod(DateTimeFormatter name) {
        this.name = name;
    }

    /** The period {@code at} falls in, as "2026-05-14" (day) or "2026-05" (month). */
    public String of(Instant at) {
        return name.format(at);
    }

    /** {@code day} or {@code month}, as BUDGET_PERIOD spells it. */
    public static BudgetPeriod parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "day" -> DAY;
            case "month" -> MONTH;
            default -> throw new IllegalArgumentException("day or month, not " + value);
        };
    }
}
