package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Segments as the Join sees them: cut from a plan, their pieces, and the order and coverage the Join insists on. */
class SegmentPiecesTest {

    @Test
    void cutsKnowTheOverlapTheNextSegmentDeclares() {
        SegmentPlan plan = SegmentPlanner.plan(192, 24, 16, new SegmentRules(48, 24, 8, 0), List.of(), 1);
        assertThat(SegmentCut.of(plan)).containsExactly(
                new SegmentCut(0, 0, 72, 0, 12), new SegmentCut(1, 60, 132, 12, 12), new SegmentCut(2, 120, 192, 12, 0));
        assertThat(SegmentCut.of(plan).get(1).bodyFrames()).isEqualTo(48);
    }

    @Test
    void refusesOverlapsLongerThanTheSegment() {
        assertThatThrownBy(() -> new SegmentCut(1, 10, 30, 12, 12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapWithPrevious 12, overlapWithNext 12")
                .hasMessageContaining("20 frames");
        assertThatThrownBy(() -> new SegmentCut(0, 30, 30, 0, 0)).hasMessageContaining("0 <= firstFrame < endFrame");
    }

    @Test
    void aSegmentOfOverlapsAloneHasNoBody() {
        SegmentCut cut = new SegmentCut(1, 10, 34, 12, 12);
        assertThat(cut.bodyFrames()).isZero();
        SegmentPieces pieces = new SegmentPieces(cut, Optional.of(Path.of("h")), Optional.empty(), Optional.of(Path.of("t")));
        assertThat(pieces.body()).isEmpty();
        assertThatThrownBy(() -> new SegmentPieces(cut, Optional.of(Path.of("h")), Optional.of(Path.of("b")), Optional.of(Path.of("t"))))
                .hasMessageContaining("segment 1's body is there exactly when it has frames: 0 frames, file b");
    }

    @Test
    void joinTakesSegmentsInOrderCoveringTheSourceOnce() {
        List<SegmentPieces> three = pieces(new SegmentCut(0, 0, 72, 0, 12), new SegmentCut(1, 60, 132, 12, 12),
                new SegmentCut(2, 120, 192, 12, 0));
        SegmentJoiner.checkCovers(three, 192);

        assertThatThrownBy(() -> SegmentJoiner.checkCovers(List.of(three.get(1), three.get(0), three.get(2)), 192))
                .hasMessageContaining("pieces: segment 1 is at place 0");
        assertThatThrownBy(() -> SegmentJoiner.checkCovers(three, 200))
                .hasMessageContaining("the last segment ends at frame 192")
                .hasMessageContaining("the source has 200 frames");
        assertThatThrownBy(() -> SegmentJoiner.checkCovers(pieces(new SegmentCut(0, 0, 72, 0, 12), new SegmentCut(1, 62, 192, 10, 0)), 192))
                .hasMessageContaining("segment 1 starts at frame 62 sharing 10 frames (overlapWithPrevious)")
                .hasMessageContaining("it starts at 60 sharing 12");
        assertThatThrownBy(() -> SegmentJoiner.checkCovers(List.of(), 192)).hasMessageContaining("at least one segment");
    }

    @Test
    void anEvenCrossFadeWeighsTheLaterSegmentFromOneStepInToOneStepShortOfWhole() {
        SegmentJoiner.Mix even = SegmentJoiner.Mix.of(12, SegmentJoiner.Overlap.EVEN_CROSS_FADE);
        assertThat(SegmentJoiner.mixExpression(even, 0)).isEqualTo("(x*12+y*1)/13+0.5");
        assertThat(SegmentJoiner.mixExpression(even, 11)).isEqualTo("(x*1+y*12)/13+0.5");
        SegmentJoiner.Mix hard = SegmentJoiner.Mix.of(12, SegmentJoiner.Overlap.HARD_CUT);
        assertThat(SegmentJoiner.mixExpression(hard, 5)).isEqualTo("x");
        assertThat(SegmentJoiner.mixExpression(hard, 6)).isEqualTo("y");
        // a paced fade's weights, in its own levels; the ends of the scale are one segment alone
        SegmentJoiner.Mix paced = new SegmentJoiner.Mix(new int[] {0, 8, 52}, 52);
        assertThat(SegmentJoiner.mixExpression(paced, 0)).isEqualTo("x");
        assertThat(SegmentJoiner.mixExpression(paced, 1)).isEqualTo("(x*44+y*8)/52+0.5");
        assertThat(SegmentJoiner.mixExpression(paced, 2)).isEqualTo("y");
        assertThatThrownBy(() -> new SegmentJoiner.Mix(new int[] {0, 53}, 52)).hasMessageContaining("weights are 0 to 52");
    }

    @Test
    void concatScriptQuotesEveryPath() {
        assertThat(SegmentJoiner.concatList(List.of(Path.of("/w/a.mp4"), Path.of("/w/it's.mp4"))))
                .isEqualTo("ffconcat version 1.0\nfile '/w/a.mp4'\nfile '/w/it'\\''s.mp4'\n");
    }

    private static List<SegmentPieces> pieces(SegmentCut... cuts) {
        return java.util.Arrays.stream(cuts).map(c -> new SegmentPieces(c,
                c.headFrames() > 0 ? Optional.of(Path.of("head")) : Optional.empty(),
                c.bodyFrames() > 0 ? Optional.of(Path.of("body")) : Optional.empty(),
                c.tailFrames() > 0 ? Optional.of(Path.of("tail")) : Optional.empty())).toList();
    }
}
