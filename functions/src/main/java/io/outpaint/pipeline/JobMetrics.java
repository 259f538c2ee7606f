package io.outpaint.pipeline;

import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.job.Job;
import java.util.Optional;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The job outcome metrics ({@code JobSUCCEEDED}, {@code JobFAILED}, ...) and what jobs cost: {@value #BILLED}
 * (the units Scenario billed, one value per job at its end) and {@value #SPENT_SHARE} (after each settlement
 * under a budget: the share of it spent in the job's period, which the stack's budget alarm watches).
 */
public final class JobMetrics {

    static final String NAMESPACE = "Outpaint";
    /** The stack's dashboard and budget alarm read these names. */
    public static final String BILLED = "CreativeUnitsBilled";
    public static final String SPENT_SHARE = "BudgetSpentPercent";
    private static final Metrics METRICS = MetricsBuilder.builder().withNamespace(NAMESPACE).withService("outpaint")
            .withRaiseOnEmptyMetrics(false).build();

    private JobMetrics() {}

    /** Written at once, apart from the function's own metrics: whichever function ended the job. */
    static void ended(Job job) {
        METRICS.flushSingleMetric("Job" + job.status().name(), 1, MetricUnit.COUNT, NAMESPACE, DimensionSet.of("Service", "outpaint"));
        Integer billed = job.billingOrNone().billed();
        if (billed != null) {
            METRICS.flushSingleMetric(BILLED, billed, MetricUnit.COUNT, NAMESPACE, DimensionSet.of("Service", "outpaint"));
        }
    }

    /** After a settlement: the share of the budget spent in the books' period (nothing without a budget). */
    static void settled(Optional<Budget> budget, BudgetLedger.Books books) {
        budget.filter(b -> b.creativeUnits() > 0).ifPresent(b -> METRICS.flushSingleMetric(SPENT_SHARE,
                spentPercent(books, b), MetricUnit.PERCENT, NAMESPACE, DimensionSet.of("Service", "outpaint")));
    }

    static double spentPercent(BudgetLedger.Books books, Budget budget) {
        return Math.round(10_000.0 * books.spent() / budget.creativeUnits()) / 100.0;
    }
}
