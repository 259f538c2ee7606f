package io.outpaint.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.media.VideoProbe;
import io.outpaint.media.VideoProbe.Container;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputLengthTest {

    private static final InputLength TEN_MINUTES = new InputLength(Duration.ofMinutes(10));

    private static VideoProbe.Video clip(long frames, double fps) {
        return new VideoProbe.Video(Container.MP4, 1280, 720, frames / fps + 0.5, fps, frames);
    }

    @Test
    void takesAClipOfExactlyTheLimit() {
        assertThat(TEN_MINUTES.problemWith(clip(600 * 24, 24), "video.key")).isEmpty();
    }

    @Test
    void refusesALongerClipNamingTheLimitAndItsLength() {
        assertThat(TEN_MINUTES.problemWith(clip(600 * 24 + 1, 24), "video.key")).get().satisfies(e -> {
            assertThat(e.field()).isEqualTo("video.key");
            assertThat(e.message()).isEqualTo("video.key: the clip lasts 600.0 s; the longest this deployment takes is 600 s"
                    + " (MAX_INPUT_SECONDS); cut it shorter");
        });
    }

    @Test
    void measuresTheClipByItsFramesWhenKnownElseByItsContainer() {
        // the container's duration counts a longer audio track; the frames say how long the picture lasts
        assertThat(InputLength.seconds(clip(240, 24))).isEqualTo(10.0);
        assertThat(InputLength.seconds(new VideoProbe.Video(Container.WEBM, 640, 360, 700, 0, 0))).isEqualTo(700.0);
        assertThat(TEN_MINUTES.problemWith(new VideoProbe.Video(Container.WEBM, 640, 360, 700, 0, 0), "video.key")).isPresent();
    }

    @Test
    void plansAtTheRequestsRateOrTheSourcesWhenMatched() {
        VideoProbe.Video twelveSeconds = clip(288, 24);
        assertThat(InputLength.plan(twelveSeconds, false, 16, SegmentRules.model(), 1)).get()
                .satisfies(p -> assertThat(p.count()).isEqualTo(1)); // 192 frames at 16 fps
        assertThat(InputLength.plan(twelveSeconds, true, null, SegmentRules.model(), 1)).get()
                .satisfies(p -> assertThat(p.count()).isEqualTo(2)); // 288 frames at 24 fps: the case
    }

    @Test
    void plansAClipWhoseHeadersStateOnlyItsDurationFromItAtTheRequestsRate() {
        // a WebM without a default duration: 20 s at the request's 16 fps is 320 frames, two generations
        assertThat(InputLength.plan(new VideoProbe.Video(Container.WEBM, 640, 360, 20, 0, 0), false, 16, SegmentRules.model(), 1)).get()
                .satisfies(p -> {
                    assertThat(p.sourceFrames()).isEqualTo(320);
                    assertThat(p.sourceFps()).isEqualTo(16);
                    assertThat(p.count()).isEqualTo(2);
                });
        // matching the input's rate, which the headers do not state: counted at the model's default rate until Split counts it
        assertThat(InputLength.plan(new VideoProbe.Video(Container.WEBM, 640, 360, 20, 0, 0), true, null, SegmentRules.model(), 1)).get()
                .satisfies(p -> assertThat(p.sourceFps()).isEqualTo(io.outpaint.request.FrameLimits.DEFAULT_FPS));
    }

    @Test
    void hasNoPlanForAClipWhoseHeadersStateNeitherFramesNorDuration() {
        // a fragmented MP4 whose fragments this probe could not count
        assertThat(InputLength.plan(new VideoProbe.Video(Container.MP4, 640, 360, 0, 0, 0), false, 16, SegmentRules.model(), 1))
                .isEqualTo(Optional.empty());
    }
}
