package io.outpaint.media.finish;

/** A clip that cannot be finished within the function's limits, refused before any work; names the limit. */
public final class FinishRefusedException extends RuntimeException {

    private final String limit;

    public FinishRefusedException(String limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** The limit's name as {@link FinishLimits} spells it, for the job record's error code. */
    public String limit() {
        return limit;
    }
}
