package io.outpaint.scenario;

/** A generate call failed after it was sent: Scenario may or may not have created the job. Look for it in the job list before posting again. */
@io.outpaint.job.FailureCode("SCENARIO_OUTCOME_UNKNOWN")
public final class ScenarioOutcomeUnknownException extends ScenarioException {

    public ScenarioOutcomeUnknownException(String message, int status, String traceId, Throwable cause) {
        super(message, status, traceId, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
