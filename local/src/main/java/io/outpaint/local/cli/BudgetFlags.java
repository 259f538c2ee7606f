package io.outpaint.local.cli;

import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetPeriod;
import io.outpaint.local.LocalPipeline;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --budget N} and {@code --budget-period}: BUDGET_CREATIVE_UNITS and BUDGET_PERIOD for the local runtime; no budget without them. */
final class BudgetFlags {

    @Option(names = "--budget", paramLabel = "N", description = "Creative units the runtime may spend per period (jobs over it wait "
            + "as WAITING_FOR_BUDGET); default: no budget.")
    Long units;

    @Option(names = "--budget-period", paramLabel = "day|month", description = "The budget's period, UTC (default: day; needs --budget).")
    String period;

    /** The settings with the budget these flags give; a refusal in the CLI's format for a bad value. */
    LocalPipeline.Settings applyTo(LocalPipeline.Settings settings, CommandSpec spec) {
        if (units == null) {
            if (period != null) {
                throw new ParameterException(spec.commandLine(), "--budget-period " + period + " needs --budget N");
            }
            return settings;
        }
        if (units < 0 || units > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), "--budget " + units + " is not allowed; allowed: 0 to " + Integer.MAX_VALUE);
        }
        BudgetPeriod kind;
        try {
            kind = period == null ? BudgetPeriod.DAY : BudgetPeriod.parse(period);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--budget-period " + period + " is not allowed; allowed: day, month");
        }
        return settings.withBudget(new Budget(units, kind));
    }
}
