package io.outpaint.media.finish;

import io.outpaint.segments.SegmentPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * One segment's place in the source, as the Join sees it, in SOURCE frames: frames {@code [firstFrame, endFrame)},
 * the first {@code overlapWithPrevious} shared with the previous segment, the last {@code overlapWithNext} with the
 * next. Its finished frames fall in three pieces: the head (shared with the previous segment), the body (its own) and
 * the tail (shared with the next).
 */
public record SegmentCut(int index, long firstFrame, long endFrame, long overlapWithPrevious, long overlapWithNext) {

    public SegmentCut {
        if (index < 0 || firstFrame < 0 || endFrame <= firstFrame) {
            throw new IllegalArgumentException("segment " + index + " covers frames [firstFrame, endFrame) with 0 <= firstFrame < endFrame: ["
                    + firstFrame + ", " + endFrame + ")");
        }
        if (overlapWithPrevious < 0 || overlapWithNext < 0 || overlapWithPrevious + overlapWithNext > endFrame - firstFrame) {
            throw new IllegalArgumentException("segment " + index + "'s overlaps (overlapWithPrevious " + overlapWithPrevious
                    + ", overlapWithNext " + overlapWithNext + ") are 0 or more and fit together in its " + (endFrame - firstFrame)
                    + " frames");
        }
    }

    /** Every segment of {@code plan}, each knowing the overlap the next one declares. */
    public static List<SegmentCut> of(SegmentPlan plan) {
        List<SegmentPlan.Segment> segments = plan.segments();
        List<SegmentCut> cuts = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            SegmentPlan.Segment s = segments.get(i);
            long next = i + 1 < segments.size() ? segments.get(i + 1).overlapWithPrevious() : 0;
            cuts.add(new SegmentCut(s.index(), s.firstFrame(), s.endFrame(), s.overlapWithPrevious(), next));
        }
        return cuts;
    }

    public long frames() {
        return endFrame - firstFrame;
    }

    public long headFrames() {
        return overlapWithPrevious;
    }

    public long bodyFrames() {
        return frames() - overlapWithPrevious - overlapWithNext;
    }

    public long tailFrames() {
        return overlapWithNext;
    }
}
