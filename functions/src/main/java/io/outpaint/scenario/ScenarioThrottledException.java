package io.outpaint.scenario;

import java.time.Duration;

/** 429: Scenario asks to wait. Says how long when Scenario did ({@code Retry-After}, {@code remainingSeconds}). */
public abstract sealed class ScenarioThrottledException extends ScenarioException
        permits ScenarioPlanLimitException, ScenarioRateLimitException {

    private final Duration retryAfter;

    protected ScenarioThrottledException(String message, int status, String traceId, Duration retryAfter) {
        super(message, status, traceId, null);
        this.retryAfter = retryAfter;
    }

    /** How long Scenario said to wait, or null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
