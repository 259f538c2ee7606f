package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.FailureCode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every unhappy ending: records FAILED, TIMED_OUT or CANCELED with a code, a message and
 * Scenario's hint, gives the job's slot back and admits the next job. A job already ended keeps
 * its status. The code of a caught exception is the one its class declares ({@link FailureCode}).
 */
public final class RecordFailure implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(RecordFailure.class);
    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    /** Codes for the errors Step Functions and Lambda name themselves (no class of ours). */
    static final Map<String, String> SERVICE_CODES = Map.of(
            "States.Timeout", "STEP_TIMED_OUT",
            "States.TaskFailed", "STEP_FAILED",
            "Lambda.Unknown", "FUNCTION_CRASHED",
            "Sandbox.Timedout", "FUNCTION_CRASHED");

    private final JobStore jobs;
    private final Admission admission;
    private final Clock clock;
    private SegmentFanIn fanIn;

    public RecordFailure(JobStore jobs, Admission admission, Clock clock) {
        this.jobs = jobs;
        this.admission = admission;
        this.clock = clock;
    }

    /** This step, recording a segment's failure in its parent ({@link SegmentFanIn}): a second attempt, or the parent's end. */
    public RecordFailure withFanIn(SegmentFanIn value) {
        this.fanIn = value;
        return this;
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        StepState ending = state.ending();
        JobStatus status = ending.outcome() == StepOutcome.TIMED_OUT ? JobStatus.TIMED_OUT
                : ending.outcome() == StepOutcome.CANCELED ? JobStatus.CANCELED : JobStatus.FAILED;
        Job.JobError error = errorOf(ending);
        boolean endsNow = jobs.find(jobId).map(j -> !j.status().isTerminal()).orElse(false);
        if (endsNow) {
            jobs.update(jobId, j -> j.status().isTerminal() ? j
                    : j.withError(error, clock.instant()).moveTo(status, clock.instant(), error.code()));
            // once per job: the operators' alarm on internal failures counts these lines
            LOG.warn("job ends {}: {} {}", status, error.code(), error.message());
        } else {
            LOG.info("job had ended already; {} {} not recorded", error.code(), error.message());
        }
        if (fanIn != null) {
            // before the slot is given back: a segment's second attempt joins the queue at its place, ahead of the next
            jobs.find(jobId).filter(j -> j.status().isTerminal()).ifPresent(fanIn::segmentEnded);
        }
        admission.release(jobId);
        StepState ended = state.ended(StepOutcome.valueOf(status.name()), new StepState.Failure(error.code(), error.message(), error.hint()));
        return endsNow ? ended.endedNow(status) : ended;
    }

    /** The failure code of an error name: its class's {@link FailureCode}, a service error's code, or INTERNAL_ERROR. */
    public static String codeOf(String errorName) {
        if (SERVICE_CODES.containsKey(errorName)) {
            return SERVICE_CODES.get(errorName);
        }
        if (errorName != null && errorName.startsWith("io.outpaint.")) {
            try {
                FailureCode code = Class.forName(errorName, false, RecordFailure.class.getClassLoader()).getAnnotation(FailureCode.class);
                if (code != null) {
                    return code.value();
                }
            } catch (ClassNotFoundException | LinkageError unknown) {
                // not one of ours: an internal error
            }
        }
        return "INTERNAL_ERROR";
    }

    private static Job.JobError errorOf(StepState state) {
        if (state.failure() != null) {
            return new Job.JobError(state.failure().code(), state.failure().message(), state.failure().hint());
        }
        if (state.error() != null) {
            String type = String.valueOf(state.error().error());
            return new Job.JobError(codeOf(type), messageOf(type, state.error().cause()), null);
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
