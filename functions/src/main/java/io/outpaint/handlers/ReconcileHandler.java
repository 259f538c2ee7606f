package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.Reconcile;
import io.outpaint.queue.Executions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
        this(PipelineServices.shared());
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
