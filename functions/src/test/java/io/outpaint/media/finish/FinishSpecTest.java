package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FinishSpecTest {

    @Test
    void rejectsAnOddCanvasWhich420CannotEncode() {
        assertThatThrownBy(() -> FinishSpec.of(641, 640, new FinishSpec.Rect(0, 0, 640, 360)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even");
    }

    @Test
    void rejectsASourceRectangleThatLeavesTheCanvas() {
        assertThatThrownBy(() -> FinishSpec.of(640, 640, new FinishSpec.Rect(0, 300, 640, 360)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves the canvas");
    }

    @Test
    void stretchesTheGenerationsTimelineExactlyOntoTheInputs() {
        MediaInfo input = new MediaInfo(640, 360, new Rational(30000, 1001), 300, 10.01, "h264", java.util.Optional.empty());
        MediaInfo generated = new MediaInfo(480, 480, new Rational(16, 1), 81, 5.0625, "h264", java.util.Optional.empty());
        String filter = FinishGraph.filter(input, generated, FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360)));
        // (300 x 1001/30000) / (81/16) = 4804800 / 2430000
        assertThat(filter).contains("setpts=(PTS-STARTPTS)*4804800/2430000")
                .contains("fps=30000/1001").contains("trim=end_frame=300").contains("overlay=x=0:y=140");
    }

    @Test
    void copiesTheAudioCodecsMp4CarriesAndConvertsTheRest() {
        for (String codec : List.of("aac", "mp3", "opus", "alac", "ac3", "eac3", "flac")) {
            assertThat(AudioHandling.of(java.util.Optional.of(new MediaInfo.Audio(codec, 48000, 2))))
                    .as(codec).isEqualTo(AudioHandling.COPIED);
        }
        assertThat(AudioHandling.of(java.util.Optional.of(new MediaInfo.Audio("vorbis", 48000, 2))))
                .isEqualTo(AudioHandling.CONVERTED_TO_AAC);
        assertThat(AudioHandling.of(java.util.Optional.empty())).isEqualTo(AudioHandling.NONE);
    }

    @Test
    void asksTheEncoderForBitsInProportionToPixelsAndRate() {
        assertThat(H264Quality.NEAR_LOSSLESS.bitrate(1920, 1080, new Rational(24, 1)))
                .isEqualTo(Math.round(1920 * 1080 * 24 * 0.2));
        assertThat(H264Quality.NEAR_LOSSLESS.encoderArgs(1280, 720, new Rational(24, 1)))
                .containsSubsequence("-c:v", "libopenh264", "-rc_mode", "quality", "-qmax", "22", "-pix_fmt", "yuv420p");
    }
}
