package io.outpaint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputGeometryTest {

    @Test
    void allFourSidesAtAQuarterMakeOneAndAHalfTimesTheInput() {
        OutputGeometry g = OutputGeometry.of(1280, 720, true, true, true, true, 0.25, 720, "auto");
        assertThat(g.canvasWidth()).isEqualTo(1920);
        assertThat(g.canvasHeight()).isEqualTo(1080);
        assertThat(g.left()).isEqualTo(320);
        assertThat(g.top()).isEqualTo(180);
        assertThat(g.width()).isEqualTo(1280);
        assertThat(g.height()).isEqualTo(720);
    }

    @Test
    void floorsEachSideThenRoundsTheCanvasUpToEight() {
        // 250 * 0.1 = 25 -> 275 -> 280; 142 -> 144
        OutputGeometry g = OutputGeometry.of(250, 142, true, false, false, false, 0.1, 480, "auto");
        assertThat(g.canvasWidth()).isEqualTo(280);
        assertThat(g.canvasHeight()).isEqualTo(144);
        assertThat(g.left()).isEqualTo(25);
        assertThat(g.top()).isZero();
        assertThat(g.width()).isEqualTo(934); // 280 * 480 / 144 = 933.3, to an even number
        assertThat(g.height()).isEqualTo(480);
    }

    @Test
    void scalesTheShortSideToTheTierForTallCanvases() {
        OutputGeometry g = OutputGeometry.of(480, 640, false, false, true, true, 0.5, 580, "auto");
        assertThat(g.canvasHeight()).isEqualTo(1280);
        assertThat(g.width()).isEqualTo(580);
        assertThat(g.height()).isEqualTo(1546); // 1280 * 580 / 480 = 1546.7 -> 1546
    }

    @Test
    void aFixedAspectRatioOverridesTheCanvasShape() {
        assertThat(OutputGeometry.of(640, 480, true, true, true, true, 0.25, 720, "16:9"))
                .extracting(OutputGeometry::width, OutputGeometry::height).containsExactly(1280, 720);
        assertThat(OutputGeometry.of(640, 480, true, true, true, true, 0.25, 480, "9:16"))
                .extracting(OutputGeometry::width, OutputGeometry::height).containsExactly(480, 854);
        assertThat(OutputGeometry.of(640, 480, true, true, true, true, 0.25, 580, "1:1"))
                .extracting(OutputGeometry::width, OutputGeometry::height).containsExactly(580, 580);
    }
}
