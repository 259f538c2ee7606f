package io.outpaint.budget;

/** How many creative units a deployment may spend in each period. */
public record Budget(long creativeUnits, BudgetPeriod period) {

    public Budget {
        if (creativeUnits < 0 || period == null) {
            throw new IllegalArgumentException("a budget is a number of creative units from 0 and a period");
        }
    }
}
