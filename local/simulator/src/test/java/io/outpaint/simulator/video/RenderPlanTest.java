package io.outpaint.simulator.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The filter graph and the mark's place follow from the geometry alone; nothing here runs ffmpeg. */
class RenderPlanTest {

    private static final Tint TINT = new Tint(90);

    @Test
    void buildsTheGraphFromTheSourcesPlaceInTheFrame() {
        RenderPlan plan = new RenderPlan(1270, 720, new Mp4Video.Inset(211, 119, 846, 476), 81, 16, false, TINT);

        assertThat(plan.filterGraph()).isEqualTo(String.join(";",
                "[0:v]setpts=PTS-STARTPTS,fps=16,tpad=stop=-1:stop_mode=clone,split=2[frame][thumb]",
                "[frame]scale=846:476:flags=bicubic,format=yuv444p[source]",
                // the margins at a quarter size: 318x180 with the source at (53, 30), 212x119
                "[thumb]scale=212:119,format=yuv444p,pad=318:180:53:30,fillborders=left=53:right=53:top=30:bottom=31:mode=mirror,"
                        + "gblur=sigma=3,lutyuv=y=val/2+56:u=(val+128)/2:v=(val+188)/2,scale=1270:720:flags=bilinear[margins]",
                "[margins][source]overlay=211:119:format=yuv444[composed]",
                "[composed][1:v]overlay=16:16:format=yuv444,format=yuv420p[out]"));
    }

    @Test
    void makesTheMarginsAtAQuarterOfTheOutputSize() {
        RenderPlan plan = new RenderPlan(1296, 720, new Mp4Video.Inset(0, 0, 640, 720), 81, 16, false, TINT);

        assertThat(plan.reduced()).isEqualTo(new RenderPlan.Box(324, 180, 0, 0, 160, 180));
    }

    @Test
    void frameForFrameRetimesTheInputsFramesInsteadOfSamplingItsClock() {
        RenderPlan plan = new RenderPlan(848, 480, new Mp4Video.Inset(141, 79, 564, 317), 48, 24, true, TINT);

        assertThat(plan.filterGraph()).startsWith("[0:v]setpts=N/(24*TB),fps=24,tpad=stop=-1:stop_mode=clone,");
    }

    @Test
    void mirrorsAtMostOneSourceWidthAndSmearsWhatTheCanvasRoundingAddsBeyondIt() {
        // only the right side, at ratio 1, plus a few pixels of rounding: a margin wider than the source
        RenderPlan.Box box = new RenderPlan.Box(324, 180, 0, 0, 160, 180);

        assertThat(RenderPlan.mirroredEdges(box)).isEqualTo(
                "pad=320:180:0:0,fillborders=left=0:right=160:top=0:bottom=0:mode=mirror,"
                        + "pad=324:180:0:0,fillborders=left=0:right=4:top=0:bottom=0:mode=smear");
    }

    @Test
    void putsTheMarkInTheFirstCornerOutsideTheSource() {
        RenderPlan rightOnly = new RenderPlan(1280, 720, new Mp4Video.Inset(0, 0, 960, 720), 81, 16, false, TINT);
        RenderPlan bottomOnly = new RenderPlan(1280, 720, new Mp4Video.Inset(0, 0, 1280, 540), 81, 16, false, TINT);

        Mark.Raster box = Mark.raster(RenderPlan.MARK, 4);
        assertThat(rightOnly.markPlace()).isEqualTo(new RenderPlan.MarkPlace(1280 - 16 - box.width(), 16, 4));
        assertThat(bottomOnly.markPlace()).isEqualTo(new RenderPlan.MarkPlace(16, 720 - 16 - box.height(), 4));
    }

    @Test
    void shrinksTheMarkToFitAThinMarginAndOverlapsTheSourceOnlyWhenNothingFits() {
        // a 24 px band on the right: the 4x mark (226 px wide) does not fit, the 1x one (61 px) does not either
        RenderPlan thin = new RenderPlan(1280, 720, new Mp4Video.Inset(0, 0, 1256, 720), 81, 16, false, TINT);
        // a 30 px band at the top: the 3x mark (27 px tall, 12 px from the edge) does not fit, the 2x one (18 + 8) does
        RenderPlan band = new RenderPlan(1280, 720, new Mp4Video.Inset(0, 30, 1280, 690), 81, 16, false, TINT);

        assertThat(thin.markPlace()).isEqualTo(new RenderPlan.MarkPlace(4, 4, 1));
        assertThat(band.markPlace()).isEqualTo(new RenderPlan.MarkPlace(8, 8, 2));
    }

    @Test
    void refusesASourceThatDoesNotLieInsideTheFrame() {
        assertThatThrownBy(() -> new RenderPlan(640, 480, new Mp4Video.Inset(100, 0, 600, 480), 81, 16, false, TINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside");
        assertThatThrownBy(() -> new RenderPlan(641, 480, new Mp4Video.Inset(0, 0, 600, 480), 81, 16, false, TINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
    }

    @Test
    void theMarkImageIsAPgmOfTheBoxAtTheChosenSize() {
        RenderPlan plan = new RenderPlan(1280, 720, new Mp4Video.Inset(320, 180, 640, 360), 81, 16, false, TINT);

        Mark.Raster box = Mark.raster(RenderPlan.MARK, 4);
        String header = "P5\n" + box.width() + " " + box.height() + "\n255\n";
        assertThat(new String(plan.markImage(), 0, header.length(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(header);
        assertThat(plan.markImage()).hasSize(header.length() + box.width() * box.height());
    }
}
