package io.outpaint.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/** The span a budget holds for, in UTC: each instant belongs to one period, named by its start. */
public enum BudgetPeriod {
    DAY("uuuu-MM-dd", "a day as 2026-12-07"),
    MONTH("uuuu-MM", "a month as 2026-12");

    private final DateTimeFormatter name;
    private final String described;

    BudgetPeriod(String pattern, String described) {
        this.name = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
        this.described = described;
    }

    /** The period {@code at} falls in, as "2026-05-14" (day) or "2026-05" (month). */
    public String of(Instant at) {
        return name.format(at);
    }

    /** How a period of this kind is written, for a refusal: "a month as 2026-12". */
    public String described() {
        return described;
    }

    /** What is wrong with {@code text} as the name of a period of this kind (a real date, written as {@link #of} writes it). */
    public Optional<String> problemWith(String text) {
        try {
            if (this == DAY) {
                LocalDate.parse(text, name);
            } else {
                YearMonth.parse(text, name);
            }
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of(described() + " (BUDGET_PERIOD is " + name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }

    /** The first and last day of {@code period}, a name {@link #problemWith} passes. */
    public LocalDate[] days(String period) {
        if (this == DAY) {
            LocalDate day = LocalDate.parse(period, name);
            return new LocalDate[] {day, day};
        }
        YearMonth month = YearMonth.parse(period, name);
        return new LocalDate[] {month.atDay(1), month.atEndOfMonth()};
    }

    /**
     * The day of {@code period} that units settled at {@code at} count on: the day {@code at} falls
     * in, or the period's last day for a settlement after the period ended (a job admitted in it ran on).
     */
    public static String dayWithin(String period, Instant at) {
        BudgetPeriod kind = period.length() == "2026-05".length() ? MONTH : DAY;
        LocalDate[] span = kind.days(period);
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate counted = day.isBefore(span[0]) ? span[0] : day.isAfter(span[1]) ? span[1] : day;
        return counted.toString();
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
