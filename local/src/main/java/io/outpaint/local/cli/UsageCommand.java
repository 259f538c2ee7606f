package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "usage", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "The creative units spent and reserved in a budget period, against the budget, and by day (--json for scripts).")
final class UsageCommand implements Callable<Integer> {

    @Mixin ClientCommands.Endpoint endpoint;
    @Option(names = "--period", paramLabel = "PERIOD",
            description = "A month as 2026-12 or a day as 2026-12-07, as the deployment's budget period names them (default: the current one).")
    String period;
    @Option(names = "--json", description = "The API's JSON answer, as it is.") boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (period != null && !period.matches("[0-9]{4}-[0-9]{2}(-[0-9]{2})?")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--period " + period
                    + " is not allowed; allowed: a month as 2026-12 or a day as 2026-12-07 (as the deployment's budget period names them)");
        }
        ApiClient.Answer answer = endpoint.client().get(period == null ? "/usage"
                : "/usage?period=" + URLEncoder.encode(period, StandardCharsets.UTF_8));
        if (json || !answer.ok()) {
            return ClientCommands.print(answer);
        }
        Outpaint.out.print(table(answer.body()));
        return 0;
    }

    /** The period's figures, then one line a day. */
    static String table(JsonNode usage) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-10s %s (%s%s)%n", "PERIOD", usage.path("period").asText(), usage.path("periodKind").asText(),
                usage.path("current").asBoolean() ? ", current" : ""));
        boolean budgeted = usage.hasNonNull("budget");
        text.append(String.format("%-10s %s%n", "BUDGET", budgeted ? usage.path("budget").asLong() + " creative units"
                : "none (the spend is kept all the same)"));
        text.append(String.format("%-10s %d%n", "SPENT", usage.path("spent").asLong()));
        text.append(String.format("%-10s %d (%d running)%n", "RESERVED", usage.path("reserved").asLong(), usage.path("jobsReserving").asInt()));
        text.append(String.format("%-10s %s%n", "REMAINING", budgeted ? Long.toString(usage.path("remaining").asLong()) : "-"));
        text.append(String.format("%-10s %d%n", "JOBS", usage.path("jobs").asInt()));
        text.append(nl).append(String.format("%-10s %8s %5s%n", "DAY", "SPENT", "JOBS"));
        for (JsonNode day : usage.path("byDay")) {
            text.append(String.format("%-10s %8d %5d%n", day.path("day").asText(), day.path("spent").asLong(), day.path("jobs").asInt()));
        }
        return text.toString();
    }
}
