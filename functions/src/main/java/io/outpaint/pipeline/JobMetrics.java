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
 * The job outcome metrics ({@code JobSUCCEEDED}, {@code JobFAILED}, ...: one per job, at its first end), the ends of long
 * clips joined again after a user's segment retry ({@code RejoinSUCCEEDED}, {@code RejoinFAILED}, ...: the same job
 * ending a second time, which must not count as a second job), and what jobs cost: {@value #BILLED}
 * (the units Scenario billed, one value per job at its end) and {@value #SPENT_SHARE} (after each settlement
 * under a budget: the share of it spent in the job's period, which the stack's budget alarm watches).
 */
public final class JobMetrics {

    static final String NAMESPACE = "Outpaint";
    /** The stack's dashboard and budget alarm read these names. */
    public static final String BILLED = "CreativeUnitsBilled";
    public static final String SPENT_SHARE = "BudgetSpentPercent";
    /** A job's first end is counted under this and its status ({@code JobSUCCEEDED}). */
    public static final String ENDED_PREFIX = "Job";
    /**
     * A long clip's later ends, each after a user's segment retry reopened it, under this and the status
     * ({@code RejoinSUCCEEDED}): the job was counted at its first end; the segment's new job is counted as any job.
     */
    public static final String REJOIN_PREFIX = "Rejoin";
    private static final Metrics METRICS = MetricsBuilder.builder().withNamespace(NAMESPACE).withService("outpaint")
            .withRaiseOnEmptyMetrics(false).build();

    private JobMetrics() {}

    /** Written at once, apart from the function's own metrics: whichever function ended the job. */
    static void ended(Job job) {
        METRICS.flushSingleMetric(endMetric(job), 1, MetricUnit.COUNT, NAMESPACE, DimensionSet.of("Service", "outpaint"));
        Integer billed = job.billingOrNone().billed();
        if (billed != null) {
            METRICS.flushSingleMetric(BILLED, billed, MetricUnit.COUNT, NAMESPACE, DimensionSet.of("Service", "outpaint"));
        }
    }

    /** The count a job's end goes to: {@code Job<STATUS>} at its first end, {@code Rejoin<STATUS>} at a re-join's. */
    static String endMetric(Job job) {
        return (job.ends() > 1 ? REJOIN_PREFIX : ENDED_PREFIX) + job.status().name();
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
