package io.outpaint.scenario;

import java.time.Duration;

/** 429 from the request-rate limit: slow down and try again. */
@io.outpaint.job.FailureCode("SCENARIO_RATE_LIMITED")
public final class ScenarioRateLimitException extends ScenarioThrottledException {
    public ScenarioRateLimitException(String message, int status, String traceId, Duration retryAfter) {
        super(message, status, traceId, retryAfter);
    }
}
