package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A job as people read it (the API's record of it, {@code GET /jobs/{id}}): which file and prompt it
 * was, where it stands, what it made and what went wrong; presigned URLs only when asked, as they
 * are long and a credential for an hour.
 */
final class JobSummary {

    private JobSummary() {}

    /** The input's file name: the API's {@code input.name}, else its key's last part; empty when the record has neither. */
    static String name(JsonNode job) {
        String name = job.path("input").path("name").asText("");
        if (name.isEmpty()) {
            String key = job.path("input").path("key").asText("");
            name = key.substring(key.lastIndexOf('/') + 1);
        }
        return printable(name);
    }

    /** The prompt's first line, cut to {@code chars} with an ellipsis; empty without one. */
    static String prompt(JsonNode job, int chars) {
        String prompt = printable(job.path("request").path("prompt").asText("").strip().lines().findFirst().orElse(""));
        return prompt.codePointCount(0, prompt.length()) <= chars ? prompt
                : prompt.substring(0, prompt.offsetByCodePoints(0, chars - 1)).strip() + "…";
    }

    /** What tells a job apart, on one line: {@code street.mp4 · "a wider view…"}; empty when the record has neither. */
    static String title(JsonNode job, int promptChars) {
        String name = name(job);
        String prompt = prompt(job, promptChars);
        return name + (!name.isEmpty() && !prompt.isEmpty() ? " · " : "") + (prompt.isEmpty() ? "" : "\"" + prompt + "\"");
    }

    /** The whole summary, one fact a line, ending with what to do next. */
    static String text(JsonNode job, boolean urls, Instant now) {
        StringBuilder text = new StringBuilder();
        String jobId = job.path("jobId").asText();
        String status = job.path("status").asText();
        text.append("Job ").append(jobId).append(System.lineSeparator());
        String name = name(job);
        if (!name.isEmpty()) {
            line(text, "input", name + (job.path("input").has("key")
                    ? "   (s3://" + job.path("input").path("bucket").asText() + "/" + job.path("input").path("key").asText() + ")" : ""));
        }
        if (urls && job.path("input").hasNonNull("url")) {
            line(text, "", job.path("input").path("url").asText());
        }
        String prompt = prompt(job, 100);
        if (!prompt.isEmpty()) {
            line(text, "prompt", "\"" + prompt + "\"");
        }
        line(text, "status", JobFollower.describe(job));
        line(text, "progress", Math.round(job.path("progress").asDouble() * 100) + "%");
        if (job.hasNonNull("waitingReason")) {
            line(text, "waiting", job.path("waitingReason").asText());
        }
        if (job.hasNonNull("createdAt")) {
            String created = job.path("createdAt").asText();
            String age;
            try {
                age = " (" + ListCommand.age(Instant.parse(created), now) + " ago)";
            } catch (java.time.format.DateTimeParseException e) {
                age = "";
            }
            line(text, "created", created + age);
        }
        JsonNode billing = job.path("billing");
        if (billing.has("estimate") || billing.has("billed")) {
            line(text, "cost", (billing.has("estimate") ? "estimate " + billing.path("estimate").asInt() + " creative units" : "")
                    + (billing.has("estimate") && billing.has("billed") ? ", " : "")
                    + (billing.has("billed") ? "billed " + billing.path("billed").asInt() : "")
                    + (job.path("segments").has("count") ? " (the sum of its " + job.path("segments").path("count").asInt() + " segments')" : ""));
        }
        String again = regenerated(job);
        if (!again.isEmpty()) {
            line(text, "retried", again);
            for (String retry : retries(job, now)) {
                line(text, "", retry);
            }
        }
        String label = "outputs";
        for (JsonNode output : job.path("outputs")) {
            line(text, label, output.path("key").asText() + "   " + shape(output));
            if (urls && output.hasNonNull("url")) {
                line(text, "", output.path("url").asText());
            }
            label = "";
        }
        JsonNode error = job.path("error");
        if (error.isObject()) {
            line(text, "error", error.path("code").asText() + ": " + error.path("message").asText()
                    + (error.hasNonNull("hint") ? " (hint: " + error.path("hint").asText() + ")" : ""));
        }
        line(text, "next", status.equals("SUCCEEDED") ? "'outpaint get " + jobId + "' downloads the result"
                + (urls ? "" : "; --urls shows the download links")
                : JobFollower.retrySegment(job).isPresent() ? JobFollower.retrySegment(job).get()
                : JobFollower.FINAL.contains(status) ? "it has ended; 'outpaint submit' starts a new job"
                : "'outpaint wait " + jobId + " -o FILE' follows it and saves the result");
        return text.toString();
    }

    /**
     * Which segments of a long clip were generated again ({@code segments.retries}), each named once:
     * {@code segments 2 and 5 generated again}; empty for a job without a retry.
     */
    static String regenerated(JsonNode job) {
        java.util.SortedSet<Integer> segments = new java.util.TreeSet<>();
        job.path("segments").path("retries").forEach(r -> segments.add(r.path("segment").asInt()));
        if (segments.isEmpty()) {
            return "";
        }
        List<String> numbers = segments.stream().map(String::valueOf).toList();
        return (numbers.size() == 1 ? "segment " + numbers.get(0) : "segments " + String.join(", ", numbers.subList(0, numbers.size() - 1))
                + " and " + numbers.get(numbers.size() - 1)) + " generated again";
    }

    /**
     * A long clip's retries, oldest first, one short line each: the segment, its seed before and after, and when
     * ({@code segment 2: seed 42 -> 7, 2026-12-07T10:10:00Z (5m ago)}); empty for a job without a retry.
     */
    static List<String> retries(JsonNode job, Instant now) {
        List<String> lines = new java.util.ArrayList<>();
        for (JsonNode retry : job.path("segments").path("retries")) {
            String at = printable(retry.path("at").asText(""));
            String age;
            try {
                age = " (" + ListCommand.age(Instant.parse(at), now) + " ago)";
            } catch (java.time.format.DateTimeParseException e) {
                age = "";
            }
            lines.add("segment " + retry.path("segment").asInt() + ": seed " + retry.path("previousSeed").asLong() + " -> "
                    + retry.path("seed").asLong() + (at.isEmpty() ? "" : ", " + at + age));
        }
        return lines;
    }

    /** An output's size in bytes as people read it, with its frame size and length where the record has them. */
    static String shape(JsonNode output) {
        StringBuilder text = new StringBuilder(bytes(output.path("bytes").asLong()));
        if (output.hasNonNull("width") && output.hasNonNull("height")) {
            text.append(", ").append(output.path("width").asInt()).append("x").append(output.path("height").asInt());
        }
        if (output.hasNonNull("durationSeconds")) {
            text.append(String.format(Locale.ROOT, ", %.2f s", output.path("durationSeconds").asDouble()));
        }
        return text.toString();
    }

    static String bytes(long n) {
        if (n < 1000) {
            return n + " bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format("  %-9s %s", label, value).stripTrailing()).append(System.lineSeparator());
    }

    /** Text from a record, shown on a terminal: control characters (an escape sequence, a carriage return) as '?'. */
    private static String printable(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
