package io.outpaint.segments;

import java.util.List;

/**
 * How one clip is generated: one segment when it fits one generation, else overlapping segments.
 * Segments are in SOURCE frames ({@code firstFrame} inclusive, {@code endFrame} exclusive), so a cut is
 * frame-exact on the input whatever rate the model generates at; each segment's {@code generatedFrames}
 * is its duration times the generation rate, rounded up, and never above the model's maximum.
 *
 * @param sourceFrames        the clip's frame count
 * @param sourceFps           the clip's rate
 * @param generationFps       the rate the model generates at (the request's {@code framesPerSecond}, or the source's)
 * @param overlapFrames       the overlap asked, in generated frames
 * @param overlapSourceFrames the same overlap in source frames (rounded up): consecutive segments share exactly this many
 * @param seed                the one seed every segment is generated with
 * @param segments            in order, covering every source frame
 */
public record SegmentPlan(long sourceFrames, double sourceFps, double generationFps, int overlapFrames, int overlapSourceFrames,
                          long seed, List<Segment> segments) {

    /**
     * One generation's share of the clip.
     *
     * @param overlapWithPrevious source frames shared with the previous segment (0 for the first)
     * @param endsAtSceneChange   whether this segment's end was moved onto a scene change (the next shot starts at {@code endFrame})
     */
    public record Segment(int index, long firstFrame, long endFrame, long overlapWithPrevious, int generatedFrames,
                          boolean endsAtSceneChange) {
        public long sourceFrames() {
            return endFrame - firstFrame;
        }
    }

    public SegmentPlan {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one segment");
        }
    }

    public int count() {
        return segments.size();
    }

    public boolean isSplit() {
        return segments.size() > 1;
    }

    /** The frames generated over all segments, overlaps counted twice: what a per-frame cost multiplies. */
    public long totalFrames() {
        return segments.stream().mapToLong(Segment::generatedFrames).sum();
    }
}
