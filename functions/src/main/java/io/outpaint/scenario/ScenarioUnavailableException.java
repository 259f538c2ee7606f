package io.outpaint.scenario;

/** 5xx, 408, a timeout or a dropped connection, on a call that is safe to repeat. */
@io.outpaint.job.FailureCode("SCENARIO_UNAVAILABLE")
public final class ScenarioUnavailableException extends ScenarioException {

    public ScenarioUnavailableException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
