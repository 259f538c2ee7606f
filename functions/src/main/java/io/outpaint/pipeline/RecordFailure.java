package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every unhappy ending: records FAILED, TIMED_OUT or CANCELED with a code, a message and
 * Scenario's hint, and gives the job's slot back. A job already ended keeps its status.
 */
public final class RecordFailure {

    private static final Logger LOG = LoggerFactory.getLogger(RecordFailure.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Codes for the exceptions a Catch can bring here, by simple class name. */
    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("InvalidRequestException", "INVALID_REQUEST"),
            Map.entry("InvalidInputException", "INVALID_INPUT"),
            Map.entry("ScenarioValidationException", "SCENARIO_REFUSED_REQUEST"),
            Map.entry("ScenarioAuthException", "SCENARIO_AUTH_FAILED"),
            Map.entry("ScenarioUploadFailedException", "SCENARIO_UPLOAD_FAILED"),
            Map.entry("ScenarioNotFoundException", "SCENARIO_NOT_FOUND"),
            Map.entry("ScenarioProtocolException", "SCENARIO_PROTOCOL_ERROR"),
            Map.entry("ScenarioUnavailableException", "SCENARIO_UNAVAILABLE"),
            Map.entry("ScenarioRateLimitException", "SCENARIO_RATE_LIMITED"),
            Map.entry("ScenarioPlanLimitException", "SCENARIO_PLAN_LIMIT"),
            Map.entry("SlotsBusyException", "NO_SLOT"),
            Map.entry("States.Timeout", "STEP_TIMED_OUT"));

    private final PipelineServices services;

    public RecordFailure(PipelineServices services) {
        this.services = services;
    }

    public StepState run(StepState state) {
        String jobId = state.jobId();
        StepState ending = state.ending();
        JobStatus status = switch (String.valueOf(ending.status())) {
            case "TIMED_OUT" -> JobStatus.TIMED_OUT;
            case "CANCELED" -> JobStatus.CANCELED;
            default -> JobStatus.FAILED;
        };
        Job.JobError error = errorOf(ending);
        LOG.warn("job ends {}: {} {}", status, error.code(), error.message());
        if (services.jobs().find(jobId).isPresent()) {
            services.jobs().update(jobId, j -> j.status().isTerminal() ? j
                    : j.withError(error, services.clock().instant()).moveTo(status, services.clock().instant(), error.code()));
        }
        services.slots().release(jobId);
        return state.ended(status.name(), new StepState.Failure(error.code(), error.message(), error.hint()));
    }

    private static Job.JobError errorOf(StepState state) {
        if (state.failure() != null) {
            return new Job.JobError(state.failure().code(), state.failure().message(), state.failure().hint());
        }
        if (state.error() != null) {
            String type = String.valueOf(state.error().error());
            String simple = type.substring(type.lastIndexOf('.') + 1);
            return new Job.JobError(CODES.getOrDefault(simple, CODES.getOrDefault(type, "INTERNAL_ERROR")),
                    messageOf(type, state.error().cause()), null);
        }
        return new Job.JobError("INTERNAL_ERROR", "the job failed for an unknown reason", null);
    }

    /** The message inside a Catch's Cause: the Lambda error JSON, or "Type: message". */
    private static String messageOf(String type, String cause) {
        if (cause == null || cause.isBlank()) {
            return type;
        }
        try {
            JsonNode json = JSON.readTree(cause);
            if (json != null && json.hasNonNull("errorMessage")) {
                return json.get("errorMessage").asText();
            }
        } catch (Exception notJson) {
            // a plain message
        }
        return cause.startsWith(type + ": ") ? cause.substring(type.length() + 2) : cause;
    }
}
