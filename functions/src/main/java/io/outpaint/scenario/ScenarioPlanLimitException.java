package io.outpaint.scenario;

import java.time.Duration;

/**
 * 429 naming an {@code actionName} and {@code actionLimit} (e.g. {@code parallel-custom-jobs}): the plan's
 * limit on jobs running at once is reached. Not a rate
 * limit: waiting for a running job to end helps, retrying at once does not.
 */
@io.outpaint.job.FailureCode("SCENARIO_PLAN_LIMIT")
public final class ScenarioPlanLimitException extends ScenarioThrottledException {
    public ScenarioPlanLimitException(String message, int status, String traceId, Duration remainingSeconds) {
        super(message, status, traceId, remainingSeconds);
    }
}
