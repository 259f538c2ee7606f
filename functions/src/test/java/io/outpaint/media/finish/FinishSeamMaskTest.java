package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FinishSeamMaskTest {

    private static int alpha(BufferedImage mask, int x, int y) {
        return mask.getRaster().getSample(x, y, 0);
    }

    @Test
    void feathersOnlyTheSidesThatMeetGeneratedMargins() {
        // a 16:9 source in a 1:1 canvas: margins above and below, the canvas's border left and right
        BufferedImage mask = SeamMask.draw(FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360)));
        assertThat(alpha(mask, 320, 0)).isLessThan(32);
        assertThat(alpha(mask, 320, 359)).isLessThan(32);
        assertThat(alpha(mask, 0, 180)).isEqualTo(255);
        assertThat(alpha(mask, 639, 180)).isEqualTo(255);
    }

    @Test
    void rampsFromTransparentToOpaqueAcrossTheFeather() {
        BufferedImage mask = SeamMask.draw(FinishSpec.of(640, 360, new FinishSpec.Rect(80, 0, 480, 360)));
        int previous = -1;
        for (int x = 0; x < SeamMask.FEATHER; x++) {
            assertThat(alpha(mask, x, 180)).isGreaterThan(previous).isLessThan(255);
            previous = alpha(mask, x, 180);
        }
        assertThat(alpha(mask, SeamMask.FEATHER, 180)).isEqualTo(255);
        assertThat(alpha(mask, 479 - SeamMask.FEATHER, 180)).isEqualTo(255);
        assertThat(alpha(mask, 479, 180)).isLessThan(32);
    }

    @Test
    void isOpaqueEverywhereWhenTheSourceFillsTheCanvas() {
        BufferedImage mask = SeamMask.draw(FinishSpec.of(640, 360, new FinishSpec.Rect(0, 0, 640, 360)));
        for (int[] p : new int[][] {{0, 0}, {639, 359}, {0, 359}, {320, 180}}) {
            assertThat(alpha(mask, p[0], p[1])).isEqualTo(255);
        }
    }

    @Test
    void isTheSourceRectanglesSize() {
        BufferedImage mask = SeamMask.draw(FinishSpec.of(1080, 1920, new FinishSpec.Rect(0, 656, 1080, 608)));
        assertThat(mask.getWidth()).isEqualTo(1080);
        assertThat(mask.getHeight()).isEqualTo(608);
    }
}
