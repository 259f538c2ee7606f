package io.outpaint.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.request.Choices.AspectRatio;
import io.outpaint.request.FramingPlan.Rect;
import io.outpaint.request.FramingPlan.Side;
import io.outpaint.request.FramingPlan.Size;
import io.outpaint.request.Target.Anchor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetPlannerTest {

    private static FramingPlan plan(int w, int h, String ratio, Anchor anchor) {
        return TargetPlanner.plan(w, h, Target.parse(ratio, anchor).orElseThrow());
    }

    private static Optional<Rect> crop(String spec) {
        if (spec.equals("-")) {
            return Optional.empty();
        }
        String[] p = spec.split("/");
        return Optional.of(new Rect(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])));
    }

    // source, target, canvas, source rect in it, crop of the source (x/y/w/h) or -, sides, expandRatio, model aspectRatio
    @ParameterizedTest(name = "{0}x{1} to {2}: {3}x{4}")
    @CsvSource({
            "1920,1080, 9:16, 1818,3232,    0,1076,1818,1080, 51/0/1818/1080,  top+bottom, 0.9968, auto",
            "1920,1080, 1:1,  1920,1920,    0,420,1920,1080,  -,               top+bottom, 0.3894, 1:1",
            "1920,1080, 4:5,  1920,2400,    0,660,1920,1080,  -,               top+bottom, 0.6116, auto",
            "1920,1080, 21:9, 2520,1080,    300,0,1920,1080,  -,               left+right, 0.1566, auto",
            "640,360,   9:16, 594,1056,     0,348,594,360,    23/0/594/360,    top+bottom, 0.9681, auto",
            "640,360,   1:1,  640,640,      0,140,640,360,    -,               top+bottom, 0.3903, 1:1",
            "1080,1920, 16:9, 3232,1818,    1076,0,1080,1818, 0/51/1080/1818,  left+right, 0.9968, auto",
            "1080,1920, 1:1,  1920,1920,    420,0,1080,1920,  -,               left+right, 0.3894, 1:1",
            "1080,1920, 4:5,  1536,1920,    228,0,1080,1920,  -,               left+right, 0.2116, auto",
            "1080,1920, 21:9, 3234,1386,    1077,0,1080,1386, 0/267/1080/1386, left+right, 0.9977, auto",
            "1440,1080, 9:16, 1440,2560,    0,740,1440,1080,  -,               top+bottom, 0.6857, 9:16",
            "1440,1080, 16:9, 1920,1080,    240,0,1440,1080,  -,               left+right, 0.1671, 16:9",
            "1080,1080, 9:16, 1080,1920,    0,420,1080,1080,  -,               top+bottom, 0.3894, 9:16",
            "1080,1080, 21:9, 2520,1080,    720,0,1080,1080,  -,               left+right, 0.6672, auto",
            "853,480,   9:16, 810,1440,     0,480,810,480,    21/0/810/480,    top+bottom, 1.0,    auto",
            "853,480,   1:1,  854,854,      0,187,853,480,    -,               top+bottom, 0.3907, 1:1",
            "721,405,   1:1,  722,722,      0,158,721,405,    -,               top+bottom, 0.3939, 1:1",
    })
    void givesTheExactCanvasForEachSourceAndTarget(int w, int h, String ratio, int cw, int ch, int x, int y, int sw, int sh,
                                                   String crop, String sides, double expandRatio, String aspect) {
        FramingPlan plan = plan(w, h, ratio, Anchor.CENTER);
        assertThat(plan.canvas()).isEqualTo(new Size(cw, ch));
        assertThat(plan.source()).isEqualTo(new Rect(x, y, sw, sh));
        assertThat(plan.crop()).isEqualTo(crop(crop));
        assertThat(plan.sides()).containsExactly(sides.startsWith("top") ? new Side[] {Side.TOP, Side.BOTTOM}
                : new Side[] {Side.LEFT, Side.RIGHT});
        assertThat(plan.expandRatio()).isEqualTo(expandRatio);
        assertThat(plan.aspectRatio().wire()).isEqualTo(aspect);
        assertThat(plan.input()).isEqualTo(new Size(w, h));
    }

    @Test
    void cropsTheSidesWhenSixteenNineGoesToNineSixteen() {
        FramingPlan plan = plan(1920, 1080, "9:16", Anchor.CENTER);
        assertThat(plan.crop()).contains(new Rect(51, 0, 1818, 1080));
        assertThat(plan.modelCanvas()).isEqualTo(new Size(1920, 3232));
        assertThat(plan.aspectRatio()).isEqualTo(AspectRatio.AUTO);
    }

    @Test
    void keepsTheLeftOfTheSourceWhenAnchoredLeftAndCropped() {
        FramingPlan plan = plan(1920, 1080, "9:16", Anchor.LEFT);
        assertThat(plan.crop()).contains(new Rect(0, 0, 1818, 1080));
        assertThat(plan.source()).isEqualTo(new Rect(0, 1076, 1818, 1080));
    }

    @Test
    void putsTheSourceAtTheTopAndExpandsOnlyTheBottomWhenAnchoredTop() {
        FramingPlan plan = plan(1920, 1080, "1:1", Anchor.TOP);
        assertThat(plan.source()).isEqualTo(new Rect(0, 0, 1920, 1080));
        assertThat(plan.sides()).containsExactly(Side.BOTTOM);
        assertThat(plan.expandRatio()).isEqualTo(0.7783); // 840.5 / 1080 = 0.77824, rounded up
        assertThat(plan.modelCanvas()).isEqualTo(new Size(1920, 1920));
    }

    @Test
    void reachesOnlyTwiceTheHeightWithOneSideSoCropsMoreWhenAnchoredBottom() {
        FramingPlan plan = plan(1920, 1080, "9:16", Anchor.BOTTOM);
        // one side adds at most 1080: canvas height at most 2160, the largest 18k x 32k under it is 1206 x 2144
        assertThat(plan.canvas()).isEqualTo(new Size(1206, 2144));
        assertThat(plan.source()).isEqualTo(new Rect(0, 1064, 1206, 1080));
        assertThat(plan.crop()).contains(new Rect(357, 0, 1206, 1080));
        assertThat(plan.sides()).containsExactly(Side.TOP);
    }

    @Test
    void treatsAnAnchorOnTheOtherAxisAsCenter() {
        assertThat(plan(1920, 1080, "1:1", Anchor.LEFT)).isEqualTo(plan(1920, 1080, "1:1", Anchor.CENTER));
    }

    @Test
    void reducesTheRatioBeforePlanning() {
        assertThat(plan(1080, 1080, "32:18", Anchor.CENTER)).isEqualTo(plan(1080, 1080, "16:9", Anchor.CENTER));
        assertThat(plan(1920, 1080, "2:2", Anchor.CENTER).aspectRatio()).isEqualTo(AspectRatio.SQUARE);
    }

    @Test
    void scalesACanvasOverTheCapDownWholeKeepingTheRatioExact() {
        FramingPlan plan = plan(3840, 2160, "9:16", Anchor.CENTER);
        assertThat(plan.canvas()).isEqualTo(new Size(2304, 4096));
        assertThat(plan.crop()).contains(new Rect(102, 0, 3636, 2160)); // planned at 3636 x 6464, then scaled by 256/404
        assertThat(plan.source()).isEqualTo(new Rect(0, 1364, 2304, 1369));
    }

    @ParameterizedTest(name = "{0}x{1} to {2} is refused")
    @CsvSource({"1920,1080,16:9", "853,480,16:9", "721,405,16:9", "1080,1080,1:1", "1080,1920,9:16", "1919,1080,16:9"})
    void refusesASourceAlreadyAtTheTargetNamingTheField(int w, int h, String ratio) {
        assertThatThrownBy(() -> plan(w, h, ratio, Anchor.CENTER)).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors()).singleElement()
                        .satisfies(f -> assertThat(f.message()).startsWith("target.aspectRatio: the video is " + w + "x" + h
                                + ", already " + ratio)));
    }

    @Test
    void refusesAVideoWhoseSizeIsUnknown() {
        assertThatThrownBy(() -> plan(0, 0, "9:16", Anchor.CENTER)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("target.aspectRatio: the video's frame size is not known");
    }

    @Test
    void aimsTheRatioHalfAPixelPastTheMarginSoFloatingPointCannotFallShort() {
        assertThat(TargetPlanner.ratioFor(57, 100)).isEqualTo(0.575);
        assertThat(TargetPlanner.ratioFor(100, 100)).isEqualTo(1.0);
        assertThat(List.of(TargetPlanner.ratioFor(420, 1080))).containsExactly(0.3894);
    }
}
