package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinishLimitsTest {

    private static final FinishLimits LIMITS = FinishLimits.LAMBDA;

    private static MediaInfo clip(int width, int height, double seconds) {
        Rational fps = new Rational(24, 1);
        return new MediaInfo(width, height, fps, Math.round(seconds * 24), seconds, "h264", Optional.empty());
    }

    @Test
    void acceptsA1080pClipReframedToSquare() {
        assertThatCode(() -> LIMITS.check(clip(1920, 1080, 12),
                FinishSpec.of(1920, 1920, new FinishSpec.Rect(0, 420, 1920, 1080)), 30_000_000))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesACanvasLongerThan4kNamingTheLimit() {
        assertThatThrownBy(() -> LIMITS.check(clip(3840, 2160, 5),
                FinishSpec.of(3840, 6828, new FinishSpec.Rect(0, 2334, 3840, 2160)), 10_000_000))
                .isInstanceOf(FinishRefusedException.class)
                .hasMessageContaining("4096")
                .extracting(e -> ((FinishRefusedException) e).limit()).isEqualTo("maxLongSide");
    }

    @Test
    void refusesAnInputLongerThanTheDurationLimit() {
        assertThatThrownBy(() -> LIMITS.check(clip(640, 360, LIMITS.maxDurationSeconds() + 1),
                FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360)), 1_000_000))
                .isInstanceOf(FinishRefusedException.class)
                .extracting(e -> ((FinishRefusedException) e).limit()).isEqualTo("maxDurationSeconds");
    }

    @Test
    void refusesMoreWorkThanFitsInTheTimeoutEvenWithinTheOtherLimits() {
        // 4K square for the whole allowed duration: short enough, small enough, too much to encode
        assertThatThrownBy(() -> LIMITS.check(clip(3840, 2160, LIMITS.maxDurationSeconds()),
                FinishSpec.of(3840, 3840, new FinishSpec.Rect(0, 840, 3840, 2160)), 1_000_000))
                .isInstanceOf(FinishRefusedException.class)
                .extracting(e -> ((FinishRefusedException) e).limit()).isEqualTo("maxPixelFrames");
    }

    @Test
    void refusesClipsThatWouldNotFitInTmp() {
        assertThatThrownBy(() -> LIMITS.check(clip(640, 360, 10),
                FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360)), LIMITS.maxTmpBytes()))
                .isInstanceOf(FinishRefusedException.class)
                .extracting(e -> ((FinishRefusedException) e).limit()).isEqualTo("maxTmpBytes");
    }
}
