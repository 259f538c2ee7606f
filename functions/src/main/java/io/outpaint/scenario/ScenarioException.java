package io.outpaint.scenario;

import java.util.Optional;

/**
 * A failed Scenario call. Subclasses say what failed; {@link #isTransient()} says whether trying
 * again later can help. Messages hold Scenario's own words and ids, never credentials.
 */
public abstract sealed class ScenarioException extends RuntimeException
        permits ScenarioAuthException, ScenarioValidationException, ScenarioNotFoundException,
                ScenarioThrottledException, ScenarioUnavailableException,
                ScenarioOutcomeUnknownException, ScenarioProtocolException, ScenarioUploadFailedException {

    private final int status;
    private final String traceId;

    protected ScenarioException(String message, int status, String traceId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.traceId = traceId;
    }

    /** The HTTP status Scenario answered, 0 when there was no answer. */
    public int status() {
        return status;
    }

    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    public abstract boolean isTransient();
}
