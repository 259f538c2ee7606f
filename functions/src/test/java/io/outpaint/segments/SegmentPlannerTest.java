package io.outpaint.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.request.OutpaintRequest;
import io.outpaint.segments.SegmentPlan.Segment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentPlannerTest {

    private static final SegmentRules RULES = SegmentRules.model();

    private static SegmentPlan plan(long frames, double fps, double generationFps, List<SceneCut> cuts) {
        return SegmentPlanner.plan(frames, fps, generationFps, RULES, cuts, 7);
    }

    /** A cut at source frame {@code frame} of a 16 fps clip. */
    private static SceneCut at16(long frame, double score) {
        return new SceneCut(frame / 16.0, score);
    }

    @Test
    void aClipThatFitsOneGenerationIsOneSegment() {
        SegmentPlan plan = plan(241, 16, 16, List.of(at16(120, 1)));
        assertThat(plan.segments()).containsExactly(new Segment(0, 0, 241, 0, 241, false));
        assertThat(plan.isSplit()).isFalse();
    }

    @Test
    void aClipUnderTheMinimumIsGeneratedAtTheMinimum() {
        assertThat(plan(40, 16, 16, List.of()).segments()).containsExactly(new Segment(0, 0, 40, 0, 81, false));
    }

    @Test
    void oneFrameOverTheLimitIsBalancedIntoTwoHalvesRatherThanATinyTail() {
        SegmentPlan plan = plan(242, 16, 16, List.of());
        assertThat(plan.segments()).containsExactly(new Segment(0, 0, 125, 0, 125, false), new Segment(1, 117, 242, 8, 125, false));
    }

    @Test
    void fortySecondsAt24FpsGeneratedAt16AreThreeSegmentsInSourceFrames() {
        SegmentPlan plan = plan(960, 24, 16, List.of());
        // 241 generated frames at 16 fps last 15.06 s: 361 source frames at 24 fps; 8 generated frames are 12 source frames
        assertThat(plan.overlapSourceFrames()).isEqualTo(12);
        assertThat(plan.segments()).containsExactly(new Segment(0, 0, 361, 0, 241, false), new Segment(1, 349, 710, 12, 241, false),
                new Segment(2, 698, 960, 12, 175, false));
        assertThat(plan.totalFrames()).isEqualTo(241 + 241 + 175);
    }

    @Test
    void aSixtyFpsSourceIsCutSoItsGenerationStaysWithinTheLimit() {
        SegmentPlan plan = plan(60 * 60, 60, 16, List.of());
        assertThat(plan.segments().get(0).sourceFrames()).isEqualTo(903);
        assertThat(plan.segments()).allSatisfy(s -> assertThat(s.generatedFrames()).isBetween(81, 241));
        assertThat(plan.overlapSourceFrames()).isEqualTo(30);
    }

    @Test
    void matchingTheInputRateCutsAtTheModelsFrameCountDirectly() {
        SegmentPlan plan = plan(1000, 30, 30, List.of());
        assertThat(plan.segments().get(0)).isEqualTo(new Segment(0, 0, 241, 0, 241, false));
    }

    @Test
    void aSceneChangeNearTheNaturalCutTakesIt() {
        SegmentPlan plan = plan(600, 16, 16, List.of(at16(230, 0.5)));
        assertThat(plan.segments().get(0)).isEqualTo(new Segment(0, 0, 230, 0, 230, true));
        assertThat(plan.segments().get(1).firstFrame()).isEqualTo(222);
    }

    @Test
    void theHighestScoringSceneChangeInTheWindowWinsThenTheNearest() {
        assertThat(plan(600, 16, 16, List.of(at16(230, 0.5), at16(220, 0.9), at16(236, 0.4))).segments().get(0).endFrame())
                .isEqualTo(220);
        assertThat(plan(600, 16, 16, List.of(at16(225, 0.6), at16(235, 0.6))).segments().get(0).endFrame()).isEqualTo(235);
    }

    @Test
    void aSceneChangeOutsideTheWindowIsIgnored() {
        assertThat(plan(600, 16, 16, List.of(at16(241 - 25, 1))).segments().get(0)).isEqualTo(new Segment(0, 0, 241, 0, 241, false));
    }

    @Test
    void aSceneChangeAroundABalancedCutMovesItWithinTheBounds() {
        // 300 frames: greedy would leave 67 (< 81), so the natural cut is the balanced 154; a change at 170 is in reach
        SegmentPlan plan = plan(300, 16, 16, List.of(at16(170, 0.8)));
        assertThat(plan.segments()).extracting(Segment::endFrame).containsExactly(170L, 300L);
        assertThat(plan.segments().get(1).sourceFrames()).isGreaterThanOrEqualTo(81);
    }

    @Test
    void aSceneChangeThatWouldLeaveATailUnderTheMinimumIsIgnored() {
        // 242 frames balance at 125; with a 64-frame window a cut at 170 would leave 242 - 170 + 8 = 80 frames, at 165 85
        SegmentRules wide = new SegmentRules(241, 81, 8, 64);
        SegmentPlan plan = SegmentPlanner.plan(242, 16, 16, wide, List.of(at16(170, 0.9), at16(165, 0.3)), 7);
        assertThat(plan.segments()).extracting(Segment::endFrame).containsExactly(165L, 242L);
    }

    @Test
    void aSceneChangeThatWouldCostAnExtraSegmentIsIgnored() {
        // 474 frames make 2 segments cut at 241 (the tail is exactly 241); an earlier cut would need a third
        SegmentPlan plan = plan(474, 16, 16, List.of(at16(225, 1)));
        assertThat(plan.count()).isEqualTo(2);
        assertThat(plan.segments().get(0).endFrame()).isEqualTo(241);
    }

    @Test
    void theSeedIsTheRequestsElseOneDerivedFromTheJobId() {
        assertThat(SegmentPlanner.seedFor(Optional.of(42L), "api-1")).isEqualTo(42);
        long derived = SegmentPlanner.seedFor(Optional.empty(), "api-1");
        assertThat(derived).isEqualTo(SegmentPlanner.seedFor(Optional.empty(), "api-1"))
                .isNotEqualTo(SegmentPlanner.seedFor(Optional.empty(), "api-2")).isBetween(0L, OutpaintRequest.MAX_SEED);
        assertThat(plan(600, 16, 16, List.of()).seed()).isEqualTo(7);
    }

    @Test
    void refusesAnOverlapOutsideZeroTo32() {
        assertThatThrownBy(() -> SegmentRules.model(33)).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> SegmentRules.model(-1)).hasMessageContaining("0 to 32");
        assertThat(SegmentRules.model(0).overlapFrames()).isZero();
    }

    @Test
    void refusesAClipWithoutFramesOrRate() {
        assertThatThrownBy(() -> plan(0, 16, 16, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan(100, 0, 16, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan(100, Double.NaN, 16, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
