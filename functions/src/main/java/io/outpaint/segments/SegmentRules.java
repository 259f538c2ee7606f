package io.outpaint.segments;

import io.outpaint.request.FrameLimits;

/**
 * How a long clip is cut, in GENERATED frames (the model's unit): each generation makes from
 * {@code minFrames} to {@code maxFrames}; consecutive segments share {@code overlapFrames}, which the Join
 * cross-fades; a cut moves to a scene change within {@code windowFrames} of where it would fall.
 *
 * @param maxFrames     the most frames one generation makes ({@link FrameLimits#MAX_FRAMES})
 * @param minFrames     the fewest frames a segment of a split clip generates ({@link FrameLimits#MIN_FRAMES})
 * @param overlapFrames frames shared by consecutive segments: 0 to {@value #MAX_OVERLAP} (8 is what published long-form
 *                      VACE pipelines use; more than 32 spends a seventh of every generation on frames that are blended away)
 * @param windowFrames  how far (either way) a cut may move to land on a scene change: 0 to {@value #MAX_WINDOW}
 */
public record SegmentRules(int maxFrames, int minFrames, int overlapFrames, int windowFrames) {

    public static final int DEFAULT_OVERLAP = 8;
    public static final int MAX_OVERLAP = 32;
    /** 1.5 s at the model's default 16 fps: far enough to find a shot change, near enough to keep segments long. */
    public static final int DEFAULT_WINDOW = 24;
    public static final int MAX_WINDOW = 64;

    public SegmentRules {
        if (minFrames < 1 || maxFrames < minFrames) {
            throw new IllegalArgumentException("frames per generation must be 1 <= min <= max: " + minFrames + ", " + maxFrames);
        }
        if (overlapFrames < 0 || overlapFrames > MAX_OVERLAP || overlapFrames >= minFrames) {
            throw new IllegalArgumentException("the overlap is 0 to " + MAX_OVERLAP + " generated frames (and under the minimum "
                    + minFrames + "): " + overlapFrames);
        }
        if (windowFrames < 0 || windowFrames > MAX_WINDOW) {
            throw new IllegalArgumentException("the scene-change window is 0 to " + MAX_WINDOW + " generated frames: " + windowFrames);
        }
        // a remainder under the minimum is merged by splitting the last two evenly: both halves must reach the minimum
        if (maxFrames + overlapFrames + 1 < 2 * minFrames) {
            throw new IllegalArgumentException("max + overlap must reach twice the minimum for the last two segments to balance");
        }
    }

    /** The model's bounds with {@code overlapFrames} and the default window. */
    public static SegmentRules model(int overlapFrames) {
        return new SegmentRules(FrameLimits.MAX_FRAMES, FrameLimits.MIN_FRAMES, overlapFrames, DEFAULT_WINDOW);
    }

    public static SegmentRules model() {
        return model(DEFAULT_OVERLAP);
    }
}
