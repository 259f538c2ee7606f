package io.outpaint.scenario;

import java.time.Duration;

/**
 * 429 {@code parallel-custom-jobs}: the plan's limit on jobs running at once is reached. Not a rate
 * limit: waiting for a running job to end helps, retrying at once does not.
 */
public final class ScenarioPlanLimitException extends ScenarioException {

    private final Duration retryAfter;

    public ScenarioPlanLimitException(String message, int status, String traceId, Duration retryAfter) {
        super(message, status, traceId, null);
        this.retryAfter = retryAfter;
    }

    /** How long Scenario says to wait ({@code remainingSeconds}), or null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
