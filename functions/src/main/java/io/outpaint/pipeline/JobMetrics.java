package io.outpaint.pipeline;

import io.outpaint.job.Job;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** The job outcome metrics ({@code JobSUCCEEDED}, {@code JobFAILED}, ...): one per job, when it ends. */
final class JobMetrics {

    static final String NAMESPACE = "Outpaint";
    private static final Metrics METRICS = MetricsBuilder.builder().withNamespace(NAMESPACE).withService("outpaint")
            .withRaiseOnEmptyMetrics(false).build();

    private JobMetrics() {}

    /** Written at once, apart from the function's own metrics: whichever function ended the job. */
    static void ended(Job job) {
        METRICS.flushSingleMetric("Job" + job.status().name(), 1, MetricUnit.COUNT, NAMESPACE, DimensionSet.of("Service", "outpaint"));
    }
}
