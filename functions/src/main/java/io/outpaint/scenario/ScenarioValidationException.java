package io.outpaint.scenario;

/** 400 or 422: Scenario refused the request; the message is Scenario's. */
@io.outpaint.job.FailureCode("SCENARIO_REFUSED_REQUEST")
public final class ScenarioValidationException extends ScenarioException {

    public ScenarioValidationException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
