package io.outpaint.scenario;

/** Scenario answered something this client does not understand, such as an undocumented job status. */
@io.outpaint.job.FailureCode("SCENARIO_PROTOCOL_ERROR")
public final class ScenarioProtocolException extends ScenarioException {

    public ScenarioProtocolException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
