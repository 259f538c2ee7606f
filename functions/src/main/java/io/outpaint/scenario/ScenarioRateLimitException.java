package io.outpaint.scenario;

import java.time.Duration;

/** 429 from the request-rate limit: slow down and try again. */
public final class ScenarioRateLimitException extends ScenarioException {

    private final Duration retryAfter;

    public ScenarioRateLimitException(String message, int status, String traceId, Duration retryAfter) {
        super(message, status, traceId, null);
        this.retryAfter = retryAfter;
    }

    /** The {@code Retry-After} Scenario sent, or null when it sent none. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
