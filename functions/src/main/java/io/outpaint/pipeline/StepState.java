package io.outpaint.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;

/**
 * What the state machine passes between steps: ids and small numbers only (the payload limit is
 * 256 KiB; bytes live in S3). Each step returns the state the next one needs. {@code ended} is set
 * only by the step that moved the job to its terminal status, so a job is counted once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepState(
        String jobId,
        String executionArn,
        VideoRef video,
        ObjectNode request,
        StepOutcome outcome,
        Integer nextDelaySeconds,
        PollSchedule.Observation observation,
        Long submittedAtMillis,
        Integer expectedSeconds,
        Failure failure,
        CaughtError error,
        StepState previous,
        JobStatus ended,
        java.util.List<String> segmentJobs) {

    /** Where the input video is: a key in the bucket. */
    public record VideoRef(String bucket, String key, String versionId) {}

    /** A failure a step found (Scenario's error and hint, a timeout). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String code, String message, String hint) {}

    /** The state a failing step had, as RecordFailure receives it (its outcome, failure or caught error). */
    public StepState ending() {
        return previous != null ? previous : this;
    }

    /** What a Catch put in {@code $.error}: the exception's class name and message. */
    public record CaughtError(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) {}

    public static StepState of(String jobId) {
        return new StepState(jobId, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public StepState with(StepOutcome next) {
        return new StepState(jobId, null, null, null, next, null, null, null, null, null, null, null, null, null);
    }

    /** Still running: look again in {@code delay} s; {@code expected} is how long jobs like it took (0: unknown). */
    public StepState polling(int delay, PollSchedule.Observation seen, Long submittedAt, int expected) {
        return new StepState(jobId, null, null, null, StepOutcome.RUNNING, delay, seen, submittedAt, expected, null, null, null, null, null);
    }

    public StepState ended(StepOutcome next, Failure why) {
        return new StepState(jobId, null, null, null, next, null, null, null, null, why, null, null, null, null);
    }

    /** A parent's join: its segments' jobs, in order, for the state machine's Map to finish each. */
    public StepState joining(java.util.List<String> jobs) {
        return new StepState(jobId, null, null, null, StepOutcome.JOIN, null, null, null, null, null, null, null, null, java.util.List.copyOf(jobs));
    }

    /** This state with {@code value} as the state a failing step had (what RecordFailure receives). */
    public StepState withPrevious(StepState value) {
        return new StepState(jobId, executionArn, video, request, outcome, nextDelaySeconds, observation, submittedAtMillis,
                expectedSeconds, failure, error, value, ended, segmentJobs);
    }

    /** This state, saying that this step moved the job to {@code status}. */
    public StepState endedNow(JobStatus status) {
        return new StepState(jobId, executionArn, video, request, outcome, nextDelaySeconds, observation, submittedAtMillis,
                expectedSeconds, failure, error, previous, status, segmentJobs);
    }
}
