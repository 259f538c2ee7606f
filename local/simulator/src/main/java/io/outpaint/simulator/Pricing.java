package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The simulator's price of a generation in creative units. Scenario publishes no price rule for
 * this model, so the simulator keeps a deterministic one that tests can check by arithmetic:
 *
 * <pre>
 * cost = ceil(20 * frames/81 * tier * steps/30 * (1 + interpolated/20))
 *   frames       numFrames (default 81), or the input's frame count when matchInputNumFrames
 *   tier         resolution: 480p 1, 580p 1.5, 720p (default) 2.25
 *   steps        numInferenceSteps (default 30)
 *   interpolated numInterpolatedFrames (default 1): 5% more per interpolated frame
 * </pre>
 *
 * Nothing else changes the price (prompt, geometry, aspect ratio, guidance, quality, seed,
 * acceleration, frame rate): the defaults cost 48. Integer arithmetic, so no rounding drift.
 */
final class Pricing {

    private Pricing() {}

    /** The frames {@code input} generates: numFrames (default 81), or the source's {@code inputFrames} with matchInputNumFrames. */
    static long frames(JsonNode input, int inputFrames) {
        return input.path("matchInputNumFrames").asBoolean(false) ? inputFrames : input.path("numFrames").asInt(81);
    }

    /** The cost of {@code input}; {@code inputFrames} is the source video's frame count (used with matchInputNumFrames). */
    static int cost(JsonNode input, int inputFrames) {
        long frames = frames(input, inputFrames);
        long tierPercent = switch (input.path("resolution").asText("720p")) {
            case "480p" -> 100;
            case "580p" -> 150;
            default -> 225;
        };
        long steps = input.path("numInferenceSteps").asInt(30);
        long interpolated = input.path("numInterpolatedFrames").asInt(1);
        long numerator = 20 * frames * tierPercent * steps * (20 + interpolated);
        long denominator = 81L * 100 * 30 * 20;
        return (int) ((numerator + denominator - 1) / denominator);
    }
}
