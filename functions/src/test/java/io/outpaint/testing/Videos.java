package io.outpaint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test videos, and the check that a file is the video it should be, read by two independent parsers. */
public final class Videos {

    private Videos() {}

    public static Path canvas(Path dir, String name, int width, int height, int frames, int fps) throws IOException {
        Path file = dir.resolve(name);
        Mp4Video.write(file, width, height, frames, fps, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        return file;
    }

    /** A noisy video, several megabytes: enough for a multipart upload. */
    public static Path large(Path dir, String name, int width, int height, int frames, int fps) throws IOException {
        Path file = dir.resolve(name);
        Mp4Video.write(file, width, height, frames, fps, Mp4Video.Pattern.NOISE, Mp4Video.Inset.NONE);
        return file;
    }

    /** Asserts the file's frame size, count and rate with JCodec's demuxer and, where installed, ffprobe. */
    public static void assertVideo(Path file, int width, int height, int frames, int fps) throws Exception {
        assertThat(Mp4Video.probe(file)).isEqualTo(new VideoInfo(width, height, frames, fps));
        if (ffprobeInstalled()) {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                    "-show_entries", "stream=codec_name,width,height,nb_read_frames,r_frame_rate", "-of", "csv=p=0",
                    file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo("h264," + width + "," + height + "," + fps + "/1," + frames);
        }
    }

    public static boolean ffprobeInstalled() {
        try {
            return new ProcessBuilder("ffprobe", "-version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
