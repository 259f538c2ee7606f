package io.outpaint.pricing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.Choices.Resolution;
import io.outpaint.request.OutpaintRequest;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The inputs that change a generation's price, and nothing else: dry runs of the simulator's rule
 * (and every input varied one at a time) show that frames, the resolution tier, the inference steps
 * and the interpolated frames do; the prompt, geometry, aspect ratio, seed, quality, guidance,
 * acceleration and frame rate do not. Two requests of one shape cost the same, whatever their video.
 */
public record PriceShape(int frames, Resolution resolution, int steps, int interpolatedFrames) {

    /** The range of {@code numFrames}: a dry run can ask no other frame count. */
    public static final int MIN_FRAMES = 81;
    public static final int MAX_FRAMES = 241;

    public PriceShape {
        if (frames < 1 || steps < 1 || interpolatedFrames < 0 || resolution == null) {
            throw new IllegalArgumentException("not a price shape: " + frames + " frames, " + resolution + ", " + steps
                    + " steps, " + interpolatedFrames + " interpolated");
        }
    }

    /**
     * The shape of {@code request} (framed or not: geometry does not count); {@code inputFrames} is asked
     * only when the request matches the input's frame count, and may be empty when the video does not say.
     */
    public static PriceShape of(OutpaintRequest request, Supplier<OptionalInt> inputFrames) {
        int frames;
        if (request.matchInputNumFrames()) {
            frames = inputFrames.get().orElseThrow(() -> new UnknownFramesException(
                    "the video's headers do not give its frame count (a WebM?); give numFrames instead of matchInputNumFrames"));
        } else {
            frames = request.numFrames();
        }
        return new PriceShape(frames, request.resolution(), request.numInferenceSteps(), request.numInterpolatedFrames());
    }

    /** The shape a dry run can ask: the frames brought into {@code numFrames}' range. */
    public PriceShape asked() {
        return new PriceShape(Math.max(MIN_FRAMES, Math.min(MAX_FRAMES, frames)), resolution, steps, interpolatedFrames);
    }

    /** A stable, readable key: the cache's item and the logs name the shape by it. */
    public String key() {
        return "frames=" + frames + ",resolution=" + resolution.wire() + ",steps=" + steps + ",interpolated=" + interpolatedFrames;
    }

    /** The cache key's hash, short enough for an item key. */
    public String hash() {
        return io.outpaint.job.Hashes.sha256Hex(key()).substring(0, 24);
    }

    public ObjectNode toJson() {
        ObjectNode json = io.outpaint.json.Json.MAPPER.createObjectNode();
        json.put("frames", frames).put("resolution", resolution.wire()).put("numInferenceSteps", steps)
                .put("numInterpolatedFrames", interpolatedFrames);
        return json;
    }

    /** The request's frames cannot be known without reading the whole video. */
    public static final class UnknownFramesException extends RuntimeException {
        public UnknownFramesException(String message) {
            super(message);
        }
    }
}
