package io.outpaint.budget;

import io.outpaint.job.Job;

/**
 * Prices a waiting job that has no estimate, for a budget to hold it: the dispatcher asks before
 * the job's turn, so a job queued without a price (its shape's price not cached where it was queued,
 * or Scenario busy then) does not hold the queue up for ever.
 */
@FunctionalInterface
public interface Estimator {

    /** What asking gave. */
    sealed interface Outcome {
        /**
         * Its estimate; {@code rule} says how it was had when it is not the plain price of its shape (null otherwise);
         * {@code segments}: for a clip longer than one generation, its planned segments section (the estimate is their sum),
         * recorded with it so that the budget treats it as a parent, whose segments reserve their own units; null otherwise.
         */
        record Priced(int creativeUnits, String rule, com.fasterxml.jackson.databind.node.ObjectNode segments) implements Outcome {
            public Priced(int creativeUnits, String rule) {
                this(creativeUnits, rule, null);
            }
        }

        /** No price now (none cached and no dry run from here, or Scenario busy): it waits, and the next dispatch asks again. */
        record NotNow(String reason) implements Outcome {}

        /** It can never be priced, nor run: its request or its video cannot be read. It fails with {@code code}. */
        record Never(String code, String reason) implements Outcome {}
    }

    Outcome estimate(Job job);

    /** Where nothing can be priced: every job without an estimate waits for a dispatch that can. */
    Estimator NONE = job -> new Outcome.NotNow("no price can be asked here");
}
