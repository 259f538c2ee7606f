package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The glue every state's function shares: read the state, put the job's ids on every log line,
 * run the step, count it, write the next state. An exception leaves as it is, so the state
 * machine's Retry and Catch see its class name.
 */
abstract class StepHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Metrics METRICS = MetricsBuilder.builder().withNamespace("Outpaint").withService("outpaint")
            .withRaiseOnEmptyMetrics(false).build();

    protected final PipelineServices services;
    private final String step;

    protected StepHandler(PipelineServices services, String step) {
        this.services = services;
        this.step = step;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepState state = JSON.readValue(input, StepState.class);
        MDC.put("jobId", state.jobId());
        MDC.put("step", step);
        if (state.executionArn() != null) {
            MDC.put("execution", state.executionArn());
        }
        long started = System.nanoTime();
        try {
            StepState next = PowertoolsLogging.withLogging(context, () -> run(state));
            METRICS.addMetric(step + "Ok", 1, MetricUnit.COUNT);
            if (next.status() != null && next.nextDelaySeconds() == null) {
                METRICS.addMetric("Job" + next.status(), 1, MetricUnit.COUNT);
            }
            JSON.writeValue(output, next);
        } catch (RuntimeException e) {
            METRICS.addMetric(step + "Error", 1, MetricUnit.COUNT);
            throw e;
        } finally {
            METRICS.addMetric(step + "Duration", (System.nanoTime() - started) / 1e6, MetricUnit.MILLISECONDS);
            METRICS.flush();
            MDC.clear();
        }
    }

    protected abstract StepState run(StepState state);
}
