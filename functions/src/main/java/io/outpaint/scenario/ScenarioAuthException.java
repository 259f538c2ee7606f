package io.outpaint.scenario;

/** 401 or 403: the credentials are wrong, or the plan lacks the model. */
@io.outpaint.job.FailureCode("SCENARIO_AUTH_FAILED")
public final class ScenarioAuthException extends ScenarioException {

    public ScenarioAuthException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
