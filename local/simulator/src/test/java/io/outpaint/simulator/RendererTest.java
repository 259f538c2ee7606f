package io.outpaint.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.simulator.video.Ffmpeg;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import io.outpaint.simulator.video.WebmVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated result shows the user's own frame where the model keeps it, a mirrored dimmed extension, and a mark. */
class RendererTest {

    @TempDir Path dir;

    private static final ObjectNode INPUT = new ObjectMapper().createObjectNode().put("resolution", "480p");

    @Test
    void theUsersFrameSitsInTheInsetWithMirroredDimmedEdgesAndAMark() throws Exception {
        // a 320x240 source: bright left half, dark right half
        Picture source = Picture.create(320, 240, ColorSpace.YUV420J);
        byte[] luma = source.getPlaneData(0);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                luma[y * 320 + x] = (byte) (x < 160 ? 100 : -100);
            }
        }
        Path video = dir.resolve("two-tone.mp4");
        Mp4Video.write(video, source, 16, 16, 0);
        VideoInfo info = Mp4Video.probe(video);

        Path result = new Renderer(dir).render(Renderer.specFor(INPUT, info, 0, video, "video/mp4"));

        // 320x240, 0.25 on each side: a 480x360 canvas at 480p is 640x480, the source at (106, 80) 426x320
        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(640, 480, 81, 16));
        Picture frame = Mp4Video.middleFrame(result).orElseThrow();
        int insideLeft = luma(frame, 156, 240);
        int insideRight = luma(frame, 482, 240);
        int outsideLeft = luma(frame, 50, 240);
        int outsideRight = luma(frame, 600, 240);
        assertThat(insideLeft).isBetween(75, 127);
        assertThat(insideRight).isBetween(-128, -75);
        // mirrored: the left extension continues the bright half, the right one the dark half, both dimmed
        assertThat(outsideLeft).isBetween(10, 60);
        assertThat(outsideRight).isBetween(-90, -40);
        // the mark: a white stroke of the first S on its dark box, top left
        assertThat(luma(frame, 22, 16)).isGreaterThan(80);
        assertThat(luma(frame, 13, 13)).isLessThan(-70);
    }

    @Test
    void whereFfmpegCannotRunTheResultIsTheMiddleFrameRepeated() throws Exception {
        Path video = dir.resolve("scene.mp4");
        Mp4Video.write(video, 320, 240, 16, 16, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        VideoInfo info = Mp4Video.probe(video);

        try (Renderer withoutFfmpeg = new Renderer(dir, Optional::empty)) {
            Path result = withoutFfmpeg.render(Renderer.specFor(INPUT, info, 0, video, "video/mp4"));

            assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(640, 480, 81, 16));
            Picture frame = Mp4Video.middleFrame(result).orElseThrow();
            // the sample scene's sky, top middle of the source, and its dimmed mirror above it
            assertThat(luma(frame, 320, 100)).isGreaterThan(20);
            assertThat(luma(frame, 320, 40)).isLessThan(luma(frame, 320, 100));
        }
    }

    @Test
    void aWebmSourceIsReadAndRenderedToAnMp4() throws Exception {
        Path webm = dir.resolve("clip.webm");
        Optional<Ffmpeg> ffmpeg = Ffmpeg.bundled();
        assumeTrue(ffmpeg.isPresent(), "the bundled ffmpeg cannot run here (see the log for the missing library)");
        ffmpeg.get().ffmpeg(Duration.ofMinutes(1), List.of("-v", "error", "-y", "-f", "lavfi", "-i", "color=c=white:size=320x240:rate=16",
                "-t", "2", "-c:v", "libvpx", webm.toString()));
        VideoInfo info = WebmVideo.probe(webm);
        assertThat(info).isEqualTo(new VideoInfo(320, 240, 32, 16.0));

        Path result = new Renderer(dir).render(Renderer.specFor(INPUT, info, 0, webm, "video/webm"));

        Picture frame = Mp4Video.middleFrame(result).orElseThrow();
        // white source inside, dimmed white outside
        assertThat(luma(frame, 320, 240)).isGreaterThan(70);
        assertThat(luma(frame, 40, 240)).isBetween(20, 60);
    }

    @Test
    void theSameVideoUploadedTwiceIsRenderedOnceAndAnotherVideoIsRenderedAnew() throws Exception {
        Path first = dir.resolve("first.mp4");
        Mp4Video.write(first, 320, 240, 8, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        Path copy = Files.copy(first, dir.resolve("again.mp4"));
        Path other = dir.resolve("other.mp4");
        Mp4Video.write(other, 320, 240, 8, 8, Mp4Video.Pattern.NOISE, Mp4Video.Inset.NONE);
        VideoInfo info = Mp4Video.probe(first);
        Renderer renderer = new Renderer(dir);

        Path once = renderer.render(Renderer.specFor(INPUT, info, 0, first, "video/mp4"));
        Path again = renderer.render(Renderer.specFor(INPUT, info, 0, copy, "video/mp4"));
        Path anew = renderer.render(Renderer.specFor(INPUT, info, 0, other, "video/mp4"));
        Path otherShape = renderer.render(Renderer.specFor(INPUT.deepCopy().put("resolution", "720p"), info, 0, first, "video/mp4"));

        assertThat(again).isEqualTo(once);
        assertThat(anew).isNotEqualTo(once);
        assertThat(Files.mismatch(anew, once)).isNotEqualTo(-1L);
        assertThat(otherShape).isNotEqualTo(once);
        assertThat(Mp4Video.probe(otherShape).width()).isGreaterThan(Mp4Video.probe(once).width());
    }

    private static int luma(Picture picture, int x, int y) {
        return picture.getPlaneData(0)[y * picture.getPlaneWidth(0) + x];
    }
}
