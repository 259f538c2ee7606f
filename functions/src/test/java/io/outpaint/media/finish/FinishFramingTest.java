package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.request.FramingPlan;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.Target;
import io.outpaint.request.TargetPlanner;
import org.junit.jupiter.api.Test;

class FinishFramingTest {

    private static OutpaintRequest raw(String json) {
        try {
            return OutpaintRequest.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.replace('\'', '"')));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void rawFlagsGrowTheCanvasByTheModelsMarginsWithTheSourceAtLeftTop() {
        FinishSpec spec = FinishFraming.ofRawFlags(raw("{'prompt':'p'}"), 320, 240);
        assertThat(spec.canvasWidth()).isEqualTo(480);
        assertThat(spec.canvasHeight()).isEqualTo(360);
        assertThat(spec.source()).isEqualTo(new FinishSpec.Rect(80, 60, 320, 240));
        assertThat(spec.window()).isEmpty();
    }

    @Test
    void rawFlagsRoundTheCanvasUpToEightAsTheModelDoes() {
        FinishSpec spec = FinishFraming.ofRawFlags(raw("{'prompt':'p','expandRight':false,'expandTop':false,'expandBottom':false,"
                + "'expandRatio':0.3}"), 641, 361);
        // floor(0.3 x 641) = 192 on the left: 833 rounds up to 840; 361 to 368
        assertThat(spec.canvasWidth()).isEqualTo(840);
        assertThat(spec.canvasHeight()).isEqualTo(368);
        assertThat(spec.source()).isEqualTo(new FinishSpec.Rect(192, 0, 641, 361));
    }

    @Test
    void rawFlagsBeyondTheLongSideCapScaleTheWholeCanvasDown() {
        FinishSpec spec = FinishFraming.ofRawFlags(raw("{'prompt':'p'}"), 3840, 2160);
        assertThat(Math.max(spec.canvasWidth(), spec.canvasHeight())).isEqualTo(FinishFraming.MAX_SIDE);
        assertThat(spec.canvasHeight()).isEqualTo(2304);
        assertThat(spec.source()).isEqualTo(new FinishSpec.Rect(683, 384, 2731, 1536));
    }

    @Test
    void aPlansCanvasIsTheTargetsAndTheGenerationIsCutToWhereTheCanvasLiesInTheModelsCanvas() {
        FramingPlan plan = TargetPlanner.plan(320, 240, new Target(1, 1, Target.Anchor.CENTER));
        FinishSpec spec = FinishFraming.of(plan);
        assertThat(spec.canvasWidth()).isEqualTo(320);
        assertThat(spec.canvasHeight()).isEqualTo(320);
        assertThat(spec.source()).isEqualTo(new FinishSpec.Rect(0, 40, 320, 240));
        assertThat(spec.window().orElseThrow().part()).isEqualTo(new FinishSpec.Rect(0, 0, 320, 320));
    }

    @Test
    void aCroppedPlanKeepsItsCropAndCutsTheGenerationOfTheWholeSourceToTheKeptColumns() {
        FramingPlan plan = TargetPlanner.plan(1920, 1080, new Target(9, 16, Target.Anchor.CENTER));
        FinishSpec spec = FinishFraming.of(plan);
        FramingPlan.Rect crop = plan.crop().orElseThrow();
        assertThat(spec.crop()).contains(new FinishSpec.Crop(crop.x(), crop.y(), crop.width(), crop.height()));
        FinishSpec.Window window = spec.window().orElseThrow();
        assertThat(window.modelWidth()).isEqualTo(plan.modelCanvas().width());
        // the kept columns of the source, where the model drew them, land where the canvas has the source
        assertThat(crop.x() - window.part().x()).isEqualTo(spec.source().x());
        assertThat(window.part().width()).isEqualTo(spec.canvasWidth());
        assertThat((double) spec.canvasWidth() / spec.canvasHeight()).isEqualTo(9.0 / 16);
    }
}
