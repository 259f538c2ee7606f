package io.outpaint.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.segments.SegmentPlan.Segment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner's promises over seeded random clips: from one frame over the limit to 10 min, at the usual rates. */
class SegmentPlannerPropertiesTest {

    private static final double[] SOURCE_FPS = {16, 24, 25, 30, 60, 30000.0 / 1001, 12};

    record Case(long frames, double fps, double generationFps, int overlap, List<SceneCut> cuts) {
        @Override
        public String toString() {
            return frames + " frames at " + fps + " fps, generated at " + generationFps + ", overlap " + overlap + ", " + cuts.size() + " cuts";
        }
    }

    static Stream<Case> cases() {
        Random random = new Random(28);
        List<Case> all = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double fps = SOURCE_FPS[random.nextInt(SOURCE_FPS.length)];
            double generation = random.nextInt(3) == 0 ? Math.min(fps, 30) : 5 + random.nextInt(26);
            long oneGeneration = (long) Math.floor(241 * fps / generation);
            long frames = switch (random.nextInt(4)) {
                case 0 -> oneGeneration + 1 + random.nextInt(5); // just over the limit
                case 1 -> 1 + random.nextInt((int) oneGeneration); // fits one generation
                default -> oneGeneration + 1 + (long) (random.nextDouble() * (600 * fps - oneGeneration)); // up to 10 min
            };
            List<SceneCut> cuts = new ArrayList<>();
            int count = random.nextInt(3) == 0 ? 0 : random.nextInt(40);
            for (int c = 0; c < count; c++) {
                cuts.add(new SceneCut(random.nextDouble() * frames / fps, Math.round(random.nextDouble() * 100) / 100.0));
            }
            all.add(new Case(frames, fps, generation, random.nextInt(33), cuts));
        }
        return all.stream();
    }

    private static SegmentPlan plan(Case c, List<SceneCut> cuts) {
        return SegmentPlanner.plan(c.frames(), c.fps(), c.generationFps(), SegmentRules.model(c.overlap()), cuts, 99);
    }

    private static int generated(long sourceFrames, Case c) {
        return (int) Math.ceil(sourceFrames * c.generationFps() / c.fps() - 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coversEveryFrameWithExactOverlapsAndEveryGenerationInBounds(Case c) {
        SegmentPlan plan = plan(c, c.cuts());
        List<Segment> segments = plan.segments();
        assertThat(segments.get(0).firstFrame()).isZero();
        assertThat(segments.get(segments.size() - 1).endFrame()).isEqualTo(c.frames());
        // the overlap in source frames is the least that lasts the asked generated frames
        assertThat(plan.overlapSourceFrames() * c.generationFps() / c.fps()).isGreaterThanOrEqualTo(c.overlap() - 1e-9);
        assertThat(Math.max(0, plan.overlapSourceFrames() - 1) * c.generationFps() / c.fps()).isLessThan(Math.max(c.overlap(), 1e-9));
        for (Segment s : segments) {
            assertThat(s.index()).isEqualTo(segments.indexOf(s));
            assertThat(s.generatedFrames()).isLessThanOrEqualTo(241);
            if (plan.isSplit()) {
                assertThat(s.generatedFrames()).isEqualTo(generated(s.sourceFrames(), c)).isGreaterThanOrEqualTo(81);
            }
            if (s.index() > 0) {
                Segment previous = segments.get(s.index() - 1);
                assertThat(s.firstFrame()).isEqualTo(previous.endFrame() - plan.overlapSourceFrames());
                assertThat(s.overlapWithPrevious()).isEqualTo(plan.overlapSourceFrames());
                assertThat(s.endFrame()).isGreaterThan(previous.endFrame());
            }
        }
        assertThat(plan.isSplit()).isEqualTo(generated(c.frames(), c) > 241);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sceneChangesMoveCutsButNeverAddASegment(Case c) {
        SegmentPlan withCuts = plan(c, c.cuts());
        assertThat(withCuts.count()).isEqualTo(plan(c, List.of()).count());
        for (Segment s : withCuts.segments()) {
            if (s.endsAtSceneChange()) {
                assertThat(c.cuts()).anySatisfy(cut -> assertThat(Math.round(cut.seconds() * c.fps())).isEqualTo(s.endFrame()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSameClipGivesTheSamePlanWhateverTheOrderOfItsSceneChanges(Case c) {
        List<SceneCut> shuffled = new ArrayList<>(c.cuts());
        Collections.shuffle(shuffled, new Random(c.frames()));
        assertThat(plan(c, shuffled)).isEqualTo(plan(c, c.cuts()));
    }
}
