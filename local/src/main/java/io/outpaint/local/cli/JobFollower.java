package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Set;

/** Follows a job through the API with a progress bar until it ends; shared by {@code run}, {@code wait} and {@code submit --wait}. */
final class JobFollower {

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED");

    private final ApiClient api;
    private final PrintStream out;

    JobFollower(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** The status, with the place in the queue and the time left where the API gives them. */
    static String describe(JsonNode job) {
        StringBuilder text = new StringBuilder(job.path("status").asText());
        JsonNode segments = job.path("segments");
        if (segments.isObject()) {
            long done = 0;
            for (JsonNode item : segments.path("items")) {
                done += item.path("status").asText().equals("SUCCEEDED") ? 1 : 0;
            }
            text.append(", segments ").append(done).append("/").append(segments.path("count").asInt()).append(" generated");
        }
        if (job.hasNonNull("queuePosition")) {
            text.append(", ").append(job.path("queuePosition").asLong() == 1 ? "next in the queue"
                    : "place " + job.path("queuePosition").asLong() + " in the queue");
        }
        if (job.hasNonNull("etaSeconds")) {
            long s = job.path("etaSeconds").asLong();
            text.append(", about ").append(s >= 120 ? (s + 30) / 60 + " min" : s + " s").append(" left");
        }
        return text.toString();
    }

    /**
     * The job's final record; a {@link CommandFailure} when it has not ended within {@code timeoutSeconds},
     * its one line ending with {@code howToFollow}, what the user can do to follow the job from there.
     */
    JsonNode follow(String jobId, int timeoutSeconds, String howToFollow) throws Exception {
        ProgressBar bar = new ProgressBar(out, System.console() != null && System.getenv("CI") == null);
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        String path = "/jobs/" + ApiClient.segment(jobId);
        while (true) {
            ApiClient.Answer answer = api.get(path);
            if (answer.ok()) {
                JsonNode job = answer.body();
                bar.show(describe(job), job.path("progress").asDouble());
                if (FINAL.contains(job.path("status").asText())) {
                    bar.done();
                    return job;
                }
            } else if (answer.status() / 100 == 4 && answer.status() != 408 && answer.status() != 429) {
                // no such job, a wrong key: asking again cannot change it (a 5xx, a timeout or throttling may pass)
                bar.done();
                throw ApiRefusal.of(answer, "JOB_ID");
            }
            if (Instant.now().isAfter(deadline)) {
                bar.done();
                throw new CommandFailure("job " + jobId + " had not ended after " + timeoutSeconds
                        + " s (--timeout-seconds); " + howToFollow);
            }
            Thread.sleep(250);
        }
    }

    /** What a user can do about a job this command stopped following: it goes on. */
    static String goesOn(String jobId) {
        return "it goes on: 'outpaint wait " + jobId + "' follows it again, 'outpaint get " + jobId + "' downloads it once it SUCCEEDED";
    }

    /** What Ctrl-C or a kill of a command following a job through the API says: the job is not stopped with it. */
    static String stoppedFollowing(String jobId) {
        return "job " + jobId + " goes on: 'outpaint wait " + jobId + "' follows it again, 'outpaint status " + jobId
                + "' shows where it stands";
    }

    /**
     * What a user can do about a long clip that FAILED with SEGMENT_FAILED: generate the segment that failed it again
     * ({@code 'outpaint retry-segment JOB_ID N' ...}); empty for any other job, whose next step is a new job. The segment
     * is the one the error names in its {@code segment} field, else the first whose item FAILED or TIMED_OUT, numbered
     * from 1 as {@code status} and the API's route number them. A record written before the error had that field (kept in
     * a data dir, or served by an API of an earlier version) names it in its message's wording only
     * ({@code segment 2 of 3 (...)}), read then.
     */
    static java.util.Optional<String> retrySegment(JsonNode job) {
        JsonNode error = job.path("error");
        if (!job.path("status").asText().equals("FAILED") || !error.path("code").asText().equals("SEGMENT_FAILED")) {
            return java.util.Optional.empty();
        }
        JsonNode items = job.path("segments").path("items");
        Integer n = null;
        Integer number = null;
        if (error.has("segment")) {
            number = error.path("segment").isIntegralNumber() && error.path("segment").canConvertToInt() ? error.path("segment").asInt() : null;
        } else {
            java.util.regex.Matcher named = SEGMENT_NAMED.matcher(error.path("message").asText(""));
            number = named.find() ? Integer.valueOf(named.group(1)) : null;
        }
        if (number != null) {
            if (number >= 1 && number <= Math.max(items.size(), job.path("segments").path("count").asInt())
                    && !items.path(number - 1).path("status").asText().equals("SUCCEEDED")) {
                n = number;
            }
        }
        for (int i = 0; n == null && i < items.size(); i++) {
            String status = items.get(i).path("status").asText();
            if (status.equals("FAILED") || status.equals("TIMED_OUT")) {
                n = items.get(i).path("index").asInt(i) + 1;
            }
        }
        if (n == null) {
            return java.util.Optional.empty();
        }
        String jobId = job.path("jobId").asText();
        return java.util.Optional.of("'outpaint retry-segment " + jobId + " " + n + "' generates segment " + n
                + " again with a new seed, then joins the clip; 'outpaint wait " + jobId + "' follows it");
    }

    /** How a record written before the error's {@code segment} field names the segment: its message's first words. */
    private static final java.util.regex.Pattern SEGMENT_NAMED = java.util.regex.Pattern.compile("^segment ([0-9]{1,6}) of ");

    /** One line for a job that did not succeed: its status, error code, message and hint. */
    static String ending(JsonNode job) {
        JsonNode error = job.path("error");
        return "job " + job.path("jobId").asText() + " ended " + job.path("status").asText()
                + (error.isMissingNode() || error.isNull() ? "" : ": " + error.path("code").asText() + ": " + error.path("message").asText()
                + (error.hasNonNull("hint") ? " (hint: " + error.path("hint").asText() + ")" : ""));
    }
}
