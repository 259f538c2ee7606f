package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.Step;
import io.outpaint.pipeline.StepState;
import io.outpaint.pipeline.StepStateJson;
import io.outpaint.priming.DiscardingMetrics;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingContext;
import io.outpaint.priming.PrimingHook;
import io.outpaint.priming.PrimingServices;
import io.outpaint.priming.PrimingSteps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The handler of every Task of the state machine; which step it runs comes from the catalogue
 * entry named by {@code OUTPAINT_STEP}. Reads the state, puts the job's ids on every log line,
 * runs the step, counts it (a job's end is counted by the store's write that ended it), writes the next state. An
 * exception leaves as it is, so the state machine's Retry and Catch see its class name.
 */
public final class StepHandler implements RequestStreamHandler {

    // trees only (StepStateJson): no mapper of its own to configure
    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final Metrics METRICS = MetricsBuilder.builder().withNamespace("Outpaint").withService("outpaint")
            .withRaiseOnEmptyMetrics(false).build();

    private final PipelineFunction function;
    private final Step step;
    private final Metrics metrics;

    /** For Lambda: the step named in this function's environment, over the services of this container. */
    public StepHandler() {
        this(PipelineFunction.fromEnvironment(System.getenv()), PipelineServices.shared(), Priming.global());
    }

    /** As Lambda builds it: the step's priming (its state's round trip, the store's reads, an invocation rehearsed over {@code PrimingServices}) registered for SnapStart. */
    public StepHandler(PipelineFunction function, PipelineServices services, Priming priming) {
        this(function, services);
        List<PrimingHook.Step> steps = new ArrayList<>();
        steps.add(PrimingSteps.stateRoundTrip(JSON));
        steps.add(PrimingSteps.metricsDocument(function));
        // with nothing recorded a flush emits nothing (it logs one warning): the metrics logger and its environment are made
        steps.add(new PrimingHook.Step("the metrics logger, flushed empty", METRICS::flush));
        steps.addAll(PrimingSteps.common(function, services));
        // last, with every client ready: the handler's whole path once, as an invocation runs it, over services that reach nothing
        steps.add(new PrimingHook.Step("an invocation on a sample job" + PrimingServices.OVER, () -> {
            PipelineServices rehearsal = PrimingServices.over(services, PrimingServices.sampleJob(function, services.clock().instant()));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            new StepHandler(function, rehearsal, DiscardingMetrics.create("Outpaint", "outpaint")).handleRequest(
                    new ByteArrayInputStream(PrimingSteps.SAMPLE_STATE.getBytes(StandardCharsets.UTF_8)),
                    answer, new PrimingContext(function.id()));
            // the sample job has ended or gone past the step already: a step that ends it now has taken another path
            StepState next = StepStateJson.read(JSON, answer.toByteArray());
            if (next.ended() != null || !PrimingSteps.ABSENT_JOB.equals(next.jobId())) {
                throw new IllegalStateException("the rehearsal took a path it should not: " + answer);
            }
        }));
        priming.register(function.id(), steps);
    }

    public StepHandler(PipelineFunction function, PipelineServices services) {
        this(function, services, METRICS);
    }

    private StepHandler(PipelineFunction function, PipelineServices services, Metrics metrics) {
        this.function = function;
        this.step = function.step(services);
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepState state = StepStateJson.read(JSON, input);
        String name = function.id();
        MDC.put("jobId", state.jobId());
        MDC.put("step", name);
        if (state.executionArn() != null) {
            MDC.put("execution", state.executionArn());
        }
        long started = System.nanoTime();
        try {
            StepState next = PowertoolsLogging.withLogging(context, () -> step.run(state));
            metrics.addMetric(name + "Ok", 1, MetricUnit.COUNT);
            StepStateJson.write(JSON, output, next);
        } catch (RuntimeException e) {
            metrics.addMetric(name + "Error", 1, MetricUnit.COUNT);
            throw e;
        } finally {
            metrics.addMetric(name + "Duration", (System.nanoTime() - started) / 1e6, MetricUnit.MILLISECONDS);
            metrics.flush();
            MDC.clear();
        }
    }
}
