package io.outpaint.scenario;

/** Scenario could not import an uploaded video; the message is Scenario's errorMessage. */
@io.outpaint.job.FailureCode("SCENARIO_UPLOAD_FAILED")
public final class ScenarioUploadFailedException extends ScenarioException {

    public ScenarioUploadFailedException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
