package io.outpaint.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * How long Scenario took for finished jobs, per shape of job (frames and resolution): the basis
 * of the ETAs and of the first status check. A running mean over the last twenty or so jobs.
 */
public interface JobDurations {

    Optional<Duration> typical(String shape);

    void record(String shape, Duration took);

    /** A job's shape, from its validated request: what drives Scenario's time. */
    static String shapeOf(JsonNode request) {
        String frames = request.path("matchInputNumFrames").asBoolean(false) ? "input" : request.path("numFrames").asText("81");
        return frames + "f-" + request.path("resolution").asText("720p");
    }

    /** The next mean: an average of the first twenty, then a moving one that follows change. */
    static long nextMeanMillis(long mean, long count, long sample) {
        long weight = Math.min(count + 1, 20);
        return mean + (sample - mean) / weight;
    }
}
