package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cross-fade's pace on made frames: 64x48, the source in the middle 32x24, margins of one luma level per frame (the
 * centre a level of its own, the same in both segments), the later segment's margins a fixed gap above the earlier's.
 */
class FadePaceTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final FinishSpec.Rect SOURCE = new FinishSpec.Rect(16, 12, 32, 24);
    private static final int FRAMES = 12;
    private static final int GAP = 26;

    @Test
    void stillMarginsFadeEvenly() {
        int[] motion = new int[FRAMES + 2];
        int[] pace = pace(motion);
        int levels = FadePace.levels(FRAMES);
        assertThat(levels).isEqualTo(52);
        int[] even = even(levels);
        assertThat(pace).as("the even pace: each step carries the same share of the gap").containsExactly(even);
    }

    @Test
    void theFadeHoldsWhereTheMarginsMoveAndMovesOnWhereTheyRest() {
        // a 16 fps picture conformed to 24 fps: every third frame repeats the one before (no motion), the others move 3 levels
        int[] motion = new int[FRAMES + 2];
        for (int k = 0; k < motion.length; k++) {
            motion[k] = k % 3 == 0 ? 0 : 3;
        }
        int[] pace = pace(motion);
        int levels = FadePace.levels(FRAMES);
        double worstPaced = worstStep(motion, pace, levels);
        int[] even = even(levels);
        double worstEven = worstStep(motion, even, levels);
        System.out.printf("fade pace %s: largest step %.2f, even %.2f%n", Arrays.toString(pace), worstPaced, worstEven);
        assertThat(pace).as("never back").isSorted();
        assertThat(worstPaced).as("largest step, paced against even").isLessThanOrEqualTo(worstEven - 0.4);
        // where the margins rest (the steps into frames 2, 5, 8 and 11) the fade moves on further than where they move
        for (int k = 1; k < FRAMES; k++) {
            int step = pace[k] - pace[k - 1];
            if (motion[k + 1] == 0) {
                assertThat(step).as("the fade's step into frame %d, where the margins rest", k).isGreaterThan(levels / (FRAMES + 1));
            } else {
                assertThat(step).as("the fade's step into frame %d, where the margins move", k).isLessThan(levels / (FRAMES + 1));
            }
        }
    }

    @Test
    void withoutAFrameBeforeOrAfterOnlyTheSharedFramesCount() {
        int levels = FadePace.levels(FRAMES);
        List<byte[]> earlier = new ArrayList<>();
        List<byte[]> later = new ArrayList<>();
        for (int k = 0; k < FRAMES; k++) {
            earlier.add(frame(100));
            later.add(frame(100 + GAP));
        }
        int[] pace = FadePace.weights(W, H, SOURCE, Optional.empty(), earlier, later, Optional.empty());
        // from the earlier segment's own first shared frame to the later one's last: still margins, an even pace
        int[] even = even(levels);
        assertThat(pace).containsExactly(even);
    }

    @Test
    void refusesMismatchedOverlaps() {
        assertThatThrownBy(() -> FadePace.weights(W, H, SOURCE, Optional.empty(), List.of(frame(1)), List.of(), Optional.empty()))
                .hasMessageContaining("as many frames of each segment");
        assertThatThrownBy(() -> FadePace.places(W, H, new FinishSpec.Rect(0, 0, W, H), 100)).hasMessageContaining("no margin");
    }

    /** The even pace: frame k takes (k + 1) / (FRAMES + 1) of the later segment. */
    private static int[] even(int levels) {
        int[] even = new int[FRAMES];
        for (int k = 0; k < FRAMES; k++) {
            even[k] = (k + 1) * levels / (FRAMES + 1);
        }
        return even;
    }

    /** The pace for margins at luma 60 + the motion so far (frame -1 before, frame FRAMES after), the later segment GAP above. */
    private static int[] pace(int[] motion) {
        int[] level = levels(motion);
        List<byte[]> earlier = new ArrayList<>();
        List<byte[]> later = new ArrayList<>();
        for (int k = 0; k < FRAMES; k++) {
            earlier.add(frame(level[k + 1]));
            later.add(frame(level[k + 1] + GAP));
        }
        return FadePace.weights(W, H, SOURCE, Optional.of(frame(level[0])), earlier, later, Optional.of(frame(level[FRAMES + 1] + GAP)));
    }

    /** The margins' level at frames -1 to FRAMES: each frame's motion added to the one before. */
    private static int[] levels(int[] motion) {
        int[] level = new int[FRAMES + 2];
        level[0] = 60;
        for (int k = 1; k < level.length; k++) {
            level[k] = level[k - 1] + motion[k];
        }
        return level;
    }

    /** The largest luma step of the mixed margins (in levels, before the RGB scale) at this pace. */
    private static double worstStep(int[] motion, int[] pace, int levels) {
        int[] level = levels(motion);
        double worst = 0;
        double previous = level[0];
        for (int k = 0; k <= FRAMES; k++) {
            double mixed = k < FRAMES ? level[k + 1] + GAP * (double) pace[k] / levels : level[FRAMES + 1] + GAP;
            worst = Math.max(worst, Math.abs(mixed - previous));
            previous = mixed;
        }
        return worst;
    }

    /** A yuv420p frame: margins at luma {@code margin}, the source at 200, chroma neutral. */
    private static byte[] frame(int margin) {
        byte[] f = new byte[W * H * 3 / 2];
        Arrays.fill(f, (byte) 128);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean inside = x >= SOURCE.x() && x < SOURCE.x() + SOURCE.width() && y >= SOURCE.y() && y < SOURCE.y() + SOURCE.height();
                f[y * W + x] = (byte) (inside ? 200 : margin);
            }
        }
        return f;
    }
}
