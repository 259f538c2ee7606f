package io.outpaint.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.simulator.video.Clips;
import io.outpaint.simulator.video.Ffmpeg;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated result is the input, frame by frame, on the model's canvas: checked on real pixels with the bundled
 * ffmpeg and ffprobe, from a 640x360 24 fps test pattern with sound.
 */
class RenderedFramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    private static Clips clips;
    private static Renderer renderer;
    private static Path input;
    private static VideoInfo info;

    @BeforeAll
    static void makeTheInput() throws Exception {
        Optional<Ffmpeg> ffmpeg = Ffmpeg.bundled();
        assumeTrue(ffmpeg.isPresent(), "the bundled ffmpeg cannot run here (see the log for the missing library)");
        clips = new Clips(ffmpeg.get());
        input = clips.testPattern(dir.resolve("pattern.mp4"), 640, 360, 24, 2);
        info = Mp4Video.probe(input);
        renderer = new Renderer(dir);
    }

    @AfterAll
    static void stop() {
        if (renderer != null) {
            renderer.close();
        }
    }

    @Test
    void theResultHasTheTiersSizeTheRequestedFramesAndRateAndNoSound() throws Exception {
        Renderer.Spec spec = Renderer.specFor(request(), info, 0, input, "video/mp4");

        Path result = renderer.render(spec);

        OutputGeometry g = spec.geometry();
        // 640x360 with a quarter on every side: 960x540, rounded up to 960x544, scaled to 720 px tall
        assertThat(List.of(g.width(), g.height())).containsExactly(1270, 720);
        assertThat(clips.probe(result)).isEqualTo(new Clips.Streams(g.width(), g.height(), 81, "16/1", "h264", "yuv420p", 0));
        // the simulator sizes its result asset with its own reader
        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(1270, 720, 81, 16));
    }

    @Test
    void theSourceAreaHoldsTheInputsFramesInOrderAndTheLastFrameOnceTheInputEnds() throws Exception {
        Renderer.Spec spec = Renderer.specFor(request(), info, 0, input, "video/mp4");
        Path result = renderer.render(spec);

        // output frame i is the input at i/16 s; the 2 s input ends after output frame 31 and its last frame stays
        Mp4Video.Inset area = sourceArea(spec.geometry());
        List<Double> psnr = clips.psnr(result, area, input, "setpts=PTS-STARTPTS,fps=16,tpad=stop=-1:stop_mode=clone,scale="
                + area.width() + ":" + area.height() + ":flags=bicubic", 81);
        assertThat(psnr).hasSize(81).allSatisfy(db -> assertThat(db).isGreaterThan(35.0));
    }

    @Test
    void twoSeedsTintTheMarginsDifferentlyAndLeaveTheSourceAreaAlone() throws Exception {
        Renderer.Spec spec = Renderer.specFor(request().put("seed", 1), info, 0, input, "video/mp4");
        Path first = renderer.render(spec);
        Path second = renderer.render(Renderer.specFor(request().put("seed", 2), info, 0, input, "video/mp4"));

        Clips.Rgb a = clips.frame(first, 10, 1270, 720);
        Clips.Rgb b = clips.frame(second, 10, 1270, 720);
        Mp4Video.Inset source = sourceArea(spec.geometry());
        int below = source.top() + source.height();
        int right = source.left() + source.width();
        assertThat(a.meanColourDistance(b, 0, below + 10, 1270, 720 - below - 10)).isGreaterThan(40.0);
        assertThat(a.meanColourDistance(b, right + 10, source.top(), 1270 - right - 10, source.height())).isGreaterThan(40.0);
        assertThat(a.meanAbsoluteDifference(b, source.left() + 4, source.top() + 4, source.width() - 8, source.height() - 8))
                .isLessThan(2.0);
    }

    @Test
    void theMarkSitsInTheTopLeftMarginAboveTheSource() throws Exception {
        Path result = renderer.render(Renderer.specFor(request(), info, 0, input, "video/mp4"));

        Clips.Rgb frame = clips.frame(result, 0, 1270, 720);
        // the dark box at (16, 16), 9 letter-pixels of 4 px tall, with white strokes: the S's top bar
        assertThat(frame.mean(17, 17, 4, 2)[1]).isLessThan(60);
        assertThat(frame.mean(16 + 12, 16 + 5, 12, 2)[1]).isGreaterThan(190);
    }

    @Test
    void matchingTheInputTakesEachInputFrameOnceAtTheInputsRate() throws Exception {
        ObjectNode matched = request().put("matchInputNumFrames", true).put("matchInputFramesPerSecond", true)
                .put("resolution", "480p");
        Renderer.Spec spec = Renderer.specFor(matched, info, 0, input, "video/mp4");

        Path result = renderer.render(spec);

        OutputGeometry g = spec.geometry();
        assertThat(clips.probe(result)).isEqualTo(new Clips.Streams(g.width(), g.height(), 48, "24/1", "h264", "yuv420p", 0));
        Mp4Video.Inset area = sourceArea(g);
        assertThat(clips.psnr(result, area, input, "scale=" + area.width() + ":" + area.height() + ":flags=bicubic", 48))
                .hasSize(48).allSatisfy(db -> assertThat(db).isGreaterThan(35.0));
    }

    @Test
    void bytesFfmpegCannotDecodeGiveTheStillCardAsBefore() throws Exception {
        Path fake = Files.write(dir.resolve("fake.mp4"), "not a video at all".getBytes());

        Path result = renderer.render(Renderer.specFor(request(), new VideoInfo(320, 240, 16, 16), 0, fake, "video/mp4"));

        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(960, 720, 81, 16));
        assertThat(clips.probe(result).frames()).isEqualTo(81);
    }

    /** Where the renderer puts the source: the canvas's source rectangle scaled to the output, truncated to pixels. */
    private static Mp4Video.Inset sourceArea(OutputGeometry g) {
        double sx = (double) g.width() / g.canvasWidth();
        double sy = (double) g.height() / g.canvasHeight();
        return new Mp4Video.Inset((int) (g.left() * sx), (int) (g.top() * sy),
                (int) (g.sourceWidth() * sx), (int) (g.sourceHeight() * sy));
    }

    private static ObjectNode request() {
        return JSON.createObjectNode().put("prompt", "p").put("resolution", "720p");
    }
}
