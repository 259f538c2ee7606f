package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingContext;
import io.outpaint.priming.PrimingHook;
import io.outpaint.priming.PrimingServices;
import io.outpaint.priming.PrimingSteps;
import io.outpaint.pipeline.Reconcile;
import io.outpaint.queue.Executions;
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

/**
 * Step Functions' "Execution Status Change" events (FAILED, TIMED_OUT, ABORTED) for the outpaint
 * state machine, through an EventBridge rule: the job of an execution that ended outside the
 * state machine's own paths gets its terminal status, and its slot is given back.
 */
public final class ReconcileHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    private final Reconcile reconcile;

    public ReconcileHandler() {
        this(PipelineServices.shared(), Priming.global());
    }

    /** As Lambda builds it: the event's parse (a status the rule does not send, so nothing changes), the store's reads and a reconciliation rehearsed over {@code PrimingServices}, primed. */
    public ReconcileHandler(PipelineServices services, Priming priming) {
        this(services);
        List<PrimingHook.Step> steps = new ArrayList<>();
        steps.add(new PrimingHook.Step("a status-change event it ignores (its job id read first)", () -> handleRequest(new ByteArrayInputStream((
                "{\"detail\":{\"status\":\"PENDING_REDRIVE\",\"name\":\"" + PrimingSteps.ABSENT_JOB + "\",\"input\":\"{\\\"jobId\\\":\\\""
                + PrimingSteps.ABSENT_JOB + "\\\"}\"}}").getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                new PrimingContext(PipelineFunction.RECONCILE.id()))));
        steps.addAll(PrimingSteps.common(PipelineFunction.RECONCILE, services));
        steps.add(new PrimingHook.Step("an execution's end for a job that has ended" + PrimingServices.OVER, () -> {
            String arn = "arn:aws:states:us-east-1:000000000000:execution:outpaint:" + PrimingSteps.ABSENT_JOB;
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            new ReconcileHandler(PrimingServices.over(services, PrimingServices.sampleJob(PipelineFunction.RECONCILE, services.clock().instant())))
                    .handleRequest(new ByteArrayInputStream(("{\"detail\":{\"executionArn\":\"" + arn + "\",\"status\":\"ABORTED\","
                            + "\"name\":\"" + PrimingSteps.ABSENT_JOB + "\",\"input\":\"{\\\"jobId\\\":\\\"" + PrimingSteps.ABSENT_JOB
                            + "\\\"}\",\"error\":\"Canceled\",\"cause\":\"priming\"}}").getBytes(StandardCharsets.UTF_8)),
                            answer, new PrimingContext(PipelineFunction.RECONCILE.id()));
            // the job had ended: nothing to reconcile
            if (!"\"UNCHANGED\"".equals(answer.toString(StandardCharsets.UTF_8))) {
                throw new IllegalStateException("the rehearsal reconciled: " + answer);
            }
        }));
        priming.register(PipelineFunction.RECONCILE.id(), steps);
    }

    public ReconcileHandler(PipelineServices services) {
        this.reconcile = new Reconcile(services.jobs(), services.admission(), services.clock());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode detail = JSON.readTree(input).path("detail");
        String executionArn = detail.path("executionArn").asText("");
        String jobId = jobIdOf(detail);
        Executions.State state;
        try {
            state = Executions.State.valueOf(detail.path("status").asText(""));
        } catch (IllegalArgumentException e) {
            output.write("\"IGNORED\"".getBytes(StandardCharsets.UTF_8));
            return; // a status this rule does not send
        }
        MDC.put("jobId", String.valueOf(jobId));
        MDC.put("execution", executionArn);
        try {
            String outcome = PowertoolsLogging.withLogging(context, () -> reconcile.executionEnded(jobId, executionArn, state,
                    detail.path("error").asText(null), detail.path("cause").asText(null)).map(Enum::name).orElse("UNCHANGED"));
            output.write(JSON.writeValueAsBytes(outcome));
        } finally {
            MDC.clear();
        }
    }

    /** The job id from the execution's input ({@code {"jobId"}}), else its name (executions started by hand). */
    static String jobIdOf(JsonNode detail) {
        try {
            JsonNode input = JSON.readTree(detail.path("input").asText("{}"));
            if (input != null && input.path("jobId").isTextual()) {
                return input.path("jobId").asText();
            }
        } catch (IOException notJson) {
            // fall back to the name
        }
        return detail.path("name").asText(null);
    }
}
