package io.outpaint.scenario;

/** 404: no such job, asset, upload or model. */
@io.outpaint.job.FailureCode("SCENARIO_NOT_FOUND")
public final class ScenarioNotFoundException extends ScenarioException {

    public ScenarioNotFoundException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
