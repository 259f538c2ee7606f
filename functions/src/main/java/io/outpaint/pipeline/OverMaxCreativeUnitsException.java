package io.outpaint.pipeline;

/**
 * A long clip whose segments, as the Split step planned them from the clip itself, would cost more than its
 * {@code maxCreativeUnits}: thrown before any segment is cut or queued, so the state machine's failure path records it
 * (the slot given back, the notice sent) with the same code as a cap refused at creation or when the video landed.
 */
@io.outpaint.job.FailureCode(LandedPrice.OVER_MAX_CREATIVE_UNITS)
public final class OverMaxCreativeUnitsException extends RuntimeException {

    public OverMaxCreativeUnitsException(String message) {
        super(message);
    }
}
