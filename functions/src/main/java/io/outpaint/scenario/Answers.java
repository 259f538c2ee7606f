package io.outpaint.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads Scenario's answers strictly: an id, status or URL that is not what the docs say is refused. */
final class Answers {


    private Answers() {}

    static ScenarioJob job(JsonNode job) {
        if (job == null || !job.isObject()) {
            throw protocol("a job object", job);
        }
        String id = id(job.path("jobId"), "jobId");
        ScenarioJob.Status status = ScenarioJob.Status.fromWire(job.path("status").asText(null));
        double progress = job.path("progress").asDouble(0);
        if (!(progress >= 0 && progress <= 1)) {
            throw protocol("progress from 0 to 1", job.path("progress"));
        }
        JsonNode metadata = job.path("metadata");
        List<String> assetIds = new ArrayList<>();
        for (JsonNode assetId : metadata.path("assetIds")) {
            assetIds.add(id(assetId, "metadata.assetIds"));
        }
        if (status == ScenarioJob.Status.SUCCESS && assetIds.isEmpty()) {
            throw protocol("assetIds on a successful job", metadata.path("assetIds"));
        }
        return new ScenarioJob(id, status, progress, assetIds, text(metadata.path("error")), text(metadata.path("hint")),
                metadata.path("input").deepCopy(), instant(job.path("createdAt")),
                inProgressAfter(status, instant(job.path("createdAt")), job.path("statusHistory")),
                succeededAfter(status, instant(job.path("createdAt")), job.path("statusHistory"), instant(job.path("updatedAt"))),
                billing(job.path("billing")));
    }

    /** The job's billing when Scenario states it with numbers; empty otherwise (the job itself is not at fault). */
    static Optional<ScenarioJob.Billing> billing(JsonNode billing) {
        if (billing.isMissingNode() || billing.isNull()) {
            return Optional.empty();
        }
        JsonNode cost = billing.path("cuCost");
        JsonNode discount = billing.path("cuDiscount");
        JsonNode noRefund = billing.path("disableRefund");
        if (!billing.isObject() || !cost.isNumber() || cost.asDouble() < 0 || !(discount.isMissingNode() || discount.isNumber())
                || !(noRefund.isMissingNode() || noRefund.isBoolean())) {
            return Optional.empty();
        }
        return Optional.of(new ScenarioJob.Billing(cost.asDouble(), discount.asDouble(0), noRefund.asBoolean(false)));
    }

    /** The longest time after its creation at which a job's going in progress, or its success, is believed. */
    static final Duration LONGEST_IN_PROGRESS_AFTER = Duration.ofDays(7);

    /**
     * How long after its creation a successful job succeeded: its history's latest {@code success}
     * date, else its {@code updatedAt}, both against its {@code createdAt} on Scenario's clock. Empty
     * for any other status, or when the dates are missing, unreadable or out of the bounds of
     * {@link #inProgressAfter}: the caller then counts from its own clock.
     */
    private static Optional<Duration> succeededAfter(ScenarioJob.Status status, Instant createdAt, JsonNode history, Instant updatedAt) {
        if (status != ScenarioJob.Status.SUCCESS) {
            return Optional.empty();
        }
        Optional<Duration> fromHistory = after(createdAt, latest(history, ScenarioJob.Status.SUCCESS));
        return fromHistory.isPresent() ? fromHistory : after(createdAt, updatedAt);
    }

    /** The latest date in a status history at which the job entered {@code status}; null when none can be read. */
    private static Instant latest(JsonNode history, ScenarioJob.Status status) {
        Instant since = null;
        for (JsonNode entry : history.isArray() ? history : MissingNode.getInstance()) {
            Instant date = status.wire().equals(entry.path("status").asText(null)) ? instant(entry.path("date")) : null;
            if (date != null && (since == null || date.isAfter(since))) {
                since = date;
            }
        }
        return since;
    }

    /** {@code date} as a time after {@code createdAt}, when both are known and it is believable. */
    private static Optional<Duration> after(Instant createdAt, Instant date) {
        if (createdAt == null || date == null) {
            return Optional.empty();
        }
        Duration after = Duration.between(createdAt, date);
        return after.isNegative() || after.compareTo(LONGEST_IN_PROGRESS_AFTER) > 0 ? Optional.empty() : Optional.of(after);
    }

    /**
     * How long after its creation a job now in progress went in progress, from its status history
     * (the latest {@code in-progress} date), both times on Scenario's clock, so a difference between
     * Scenario's clock and ours does not count. Empty for any other status, or when the creation or
     * the history is missing, unreadable, or puts the start before the creation or more than
     * {@link #LONGEST_IN_PROGRESS_AFTER} after it: the history only refines polling, so it is never a
     * reason to refuse an answer.
     */
    private static Optional<Duration> inProgressAfter(ScenarioJob.Status status, Instant createdAt, JsonNode history) {
        if (status != ScenarioJob.Status.IN_PROGRESS) {
            return Optional.empty();
        }
        return after(createdAt, latest(history, ScenarioJob.Status.IN_PROGRESS));
    }

    static ScenarioAsset asset(JsonNode asset, boolean allowPlainHttp) {
        if (asset == null || !asset.isObject()) {
            throw protocol("an asset object", asset);
        }
        String id = id(asset.path("id"), "asset.id");
        URI url;
        try {
            url = URI.create(asset.path("url").asText(""));
        } catch (IllegalArgumentException e) {
            throw protocol("an absolute asset URL", asset.path("url"));
        }
        boolean schemeOk = "https".equals(url.getScheme()) || (allowPlainHttp && "http".equals(url.getScheme()));
        if (!url.isAbsolute() || url.getHost() == null || !schemeOk) {
            throw protocol("an absolute https asset URL", asset.path("url"));
        }
        JsonNode p = asset.path("properties");
        long size = p.path("size").asLong(-1);
        return new ScenarioAsset(id, url, asset.path("mimeType").asText("application/octet-stream"), size,
                p.path("width").asInt(0), p.path("height").asInt(0), p.path("duration").asDouble(0),
                p.path("frameRate").asDouble(0), p.path("nbFrames").asInt(0));
    }

    static String id(JsonNode value, String field) {
        if (value == null || !value.isTextual() || !ScenarioIds.isId(value.asText())) {
            throw protocol(field + " as an id", value);
        }
        return value.asText();
    }

    /** The human part of an error body, whichever of Scenario's shapes it has. */
    static String message(JsonNode body, String raw) {
        if (body != null) {
            for (String field : List.of("message", "reason", "error", "detail")) {
                JsonNode value = body.path(field);
                if (value.isTextual() && !value.asText().isBlank()) {
                    return shown(value.asText());
                }
                if (value.isObject() && value.path("message").isTextual()) {
                    return shown(value.path("message").asText());
                }
            }
        }
        return raw == null || raw.isBlank() ? "(no message)" : shown(raw);
    }

    static String traceId(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode trace = body.has("traceId") ? body.get("traceId") : body.get("trace_id");
        return trace != null && trace.isTextual() ? shown(trace.asText()) : null;
    }

    /** A plan limit (not a request rate) names the action and its limit, wherever the body puts them. */
    static boolean isPlanLimit(JsonNode body) {
        return body != null && (body.findValue("actionName") != null || body.findValue("actionLimit") != null);
    }

    /** Scenario's top-level {@code remainingSeconds}, else one nested in the body; null when absent. */
    static Duration remainingSeconds(JsonNode body) {
        JsonNode value = body == null ? null
                : body.has("remainingSeconds") ? body.get("remainingSeconds") : body.findValue("remainingSeconds");
        return value != null && value.isNumber() && value.asDouble() >= 0
                ? Duration.ofMillis((long) (value.asDouble() * 1000)) : null;
    }

    /** A value from Scenario, cut short and stripped of control characters before it reaches a log. */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String clean = value.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 500 ? clean.substring(0, 500) + "..." : clean;
    }

    private static Optional<String> text(JsonNode value) {
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(shown(value.asText())) : Optional.empty();
    }

    private static Instant instant(JsonNode value) {
        try {
            return value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static ScenarioProtocolException protocol(String expected, JsonNode got) {
        return new ScenarioProtocolException("Scenario's answer lacks " + expected + " (got "
                + shown(got == null ? "nothing" : got.toString()) + ")", 200, null, null);
    }
}
