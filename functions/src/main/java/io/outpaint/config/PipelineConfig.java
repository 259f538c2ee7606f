package io.outpaint.config;

import io.outpaint.job.PollSchedule;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the pipeline, read once from the environment. Scenario's credentials come from
 * a Secrets Manager secret ({@code SCENARIO_SECRET_ARN}) in AWS; {@code SCENARIO_API_KEY} and
 * {@code SCENARIO_API_SECRET} exist for local runs only.
 */
public record PipelineConfig(
        String tableName,
        String bucket,
        Optional<String> stateMachineArn,
        URI scenarioApiUrl,
        Optional<String> scenarioSecretArn,
        Optional<String> scenarioApiKey,
        Optional<String> scenarioApiSecret,
        int maxJobsInFlight,
        PollSchedule poll,
        Duration maxPollTime,
        int retentionDays,
        boolean s3PathStyle,
        int copyPartSizeBytes,
        Duration scenarioUploadPoll,
        String defaultPrompt,
        Optional<String> webhookSecretArn,
        Optional<String> webhookSecret,
        boolean webhookAllowHttp,
        Optional<String> eventBusName,
        Duration typicalJobTime,
        Duration queueIndexLag,
        Duration uploadEventGrace,
        Duration priceCacheTime,
        Optional<io.outpaint.budget.Budget> budget,
        Duration maxInputDuration,
        int segmentOverlapFrames,
        io.outpaint.budget.BudgetPeriod booksPeriod) {

    public static PipelineConfig fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        PipelineConfig config = new PipelineConfig(
                r.required("TABLE_NAME"),
                r.required("BUCKET_NAME"),
                r.optional("STATE_MACHINE_ARN"),
                URI.create(r.text("SCENARIO_API_URL", "https://api.cloud.scenario.com/v1")),
                r.optional("SCENARIO_SECRET_ARN"),
                r.optional("SCENARIO_API_KEY"),
                r.optional("SCENARIO_API_SECRET"),
                r.integer("MAX_JOBS_IN_FLIGHT", 2, 1, 1000),
                new PollSchedule(r.integer("POLL_MIN_SECONDS", 5, 1, 3600), r.integer("POLL_MAX_SECONDS", 300, 1, 3600),
                        r.integer("POLL_FIRST_SECONDS", 15, 1, 3600), r.integer("POLL_QUIET_MAX_SECONDS", 60, 1, 3600)),
                Duration.ofSeconds(r.integer("MAX_POLL_SECONDS", 4 * 3600, 1, 30 * 86_400)),
                r.integer("RETENTION_DAYS", 30, 1, 3650),
                Boolean.parseBoolean(r.text("S3_PATH_STYLE", "false")),
                r.integer("COPY_PART_SIZE_MB", 16, 5, 512) * 1024 * 1024,
                Duration.ofMillis(r.integer("SCENARIO_UPLOAD_POLL_MILLIS", 2000, 10, 60_000)),
                r.text("DEFAULT_PROMPT", "extend the scene naturally, matching its style and lighting"),
                r.optional("WEBHOOK_SECRET_ARN"),
                r.optional("WEBHOOK_SECRET"),
                Boolean.parseBoolean(r.text("WEBHOOK_ALLOW_HTTP", "false")),
                r.optional("EVENT_BUS_NAME"),
                Duration.ofSeconds(r.integer("TYPICAL_JOB_SECONDS", 300, 1, 86_400)),
                Duration.ofMillis(r.integer("QUEUE_INDEX_LAG_MILLIS", 1000, 0, 10_000)),
                Duration.ofSeconds(r.integer("UPLOAD_EVENT_GRACE_SECONDS", 120, 1, 86_400)),
                Duration.ofHours(r.integer("PRICE_CACHE_HOURS", 24, 1, 24 * 365)),
                r.budget(),
                // a longer clip is refused up front, before its upload or its first segment costs anything
                Duration.ofSeconds(r.integer("MAX_INPUT_SECONDS", 600, 1, 86_400)),
                r.integer("SEGMENT_OVERLAP_FRAMES", io.outpaint.segments.SegmentRules.DEFAULT_OVERLAP, 0,
                        io.outpaint.segments.SegmentRules.MAX_OVERLAP),
                // the spend is kept per period with or without a budget: BUDGET_PERIOD's, as the stack sets it beside "none"
                r.budget().map(io.outpaint.budget.Budget::period).orElseGet(r::booksPeriod));
        return config;
    }

    /** Every setting but the secrets, which print as {@code [redacted]} wherever this record ends up. */
    @Override
    public String toString() {
        return "PipelineConfig[table=" + tableName + ", bucket=" + bucket + ", scenario=" + scenarioApiUrl
                + ", scenarioSecretArn=" + scenarioSecretArn.orElse("-")
                + ", scenarioApiKey=" + scenarioApiKey.map(k -> "[redacted]").orElse("-")
                + ", scenarioApiSecret=" + scenarioApiSecret.map(k -> "[redacted]").orElse("-")
                + ", webhookSecret=" + webhookSecret.map(k -> "[redacted]").orElse("-")
                + ", maxJobsInFlight=" + maxJobsInFlight + ", poll=" + poll + ", maxPollTime=" + maxPollTime
                + ", budget=" + budget.map(b -> b.creativeUnits() + "/" + b.period().name().toLowerCase()).orElse("none")
                + ", maxInputDuration=" + maxInputDuration + ", segmentOverlapFrames=" + segmentOverlapFrames + "]";
    }

    /** Whether this function is given Scenario's credentials (functions that never call Scenario are not). */
    public boolean hasScenarioCredentials() {
        return scenarioSecretArn.isPresent() || (scenarioApiKey.isPresent() && scenarioApiSecret.isPresent());
    }

    private record Reader(Map<String, String> env) {
        String required(String name) {
            return optional(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " must be set"));
        }

        Optional<String> optional(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        String text(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        /** BUDGET_CREATIVE_UNITS with BUDGET_PERIOD (day by default); none without the first, or when it says {@code none}. */
        Optional<io.outpaint.budget.Budget> budget() {
            if (optional("BUDGET_CREATIVE_UNITS").filter(u -> u.equalsIgnoreCase("none")).isPresent()) {
                return Optional.empty(); // the stack's default: its BUDGET_PERIOD is set regardless
            }
            Optional<String> units = optional("BUDGET_CREATIVE_UNITS");
            if (units.isEmpty()) {
                optional("BUDGET_PERIOD").ifPresent(p -> {
                    throw new IllegalStateException("BUDGET_PERIOD is set without BUDGET_CREATIVE_UNITS");
                });
                return Optional.empty();
            }
            io.outpaint.budget.BudgetPeriod period;
            try {
                period = io.outpaint.budget.BudgetPeriod.parse(text("BUDGET_PERIOD", "day"));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("environment variable BUDGET_PERIOD must be day or month, not " + env.get("BUDGET_PERIOD"));
            }
            return Optional.of(new io.outpaint.budget.Budget(integer("BUDGET_CREATIVE_UNITS", 0, 0, Integer.MAX_VALUE), period));
        }

        /** BUDGET_PERIOD where it is set, a day where not. */
        io.outpaint.budget.BudgetPeriod booksPeriod() {
            try {
                return io.outpaint.budget.BudgetPeriod.parse(text("BUDGET_PERIOD", "day"));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("environment variable BUDGET_PERIOD must be day or month, not " + env.get("BUDGET_PERIOD"));
            }
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> value = optional(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalStateException("environment variable " + name + " must be an integer from " + min + " to " + max
                    + ", not " + value.get());
        }
    }
}
