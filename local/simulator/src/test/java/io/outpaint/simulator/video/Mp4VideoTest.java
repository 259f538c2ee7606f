package io.outpaint.simulator.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4VideoTest {

    @TempDir Path dir;

    @Test
    void writesAVideoThatReadsBackWithItsSizeFramesAndRate() throws IOException {
        Path file = dir.resolve("a.mp4");
        Mp4Video.write(file, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, new Mp4Video.Inset(40, 30, 240, 180));
        assertThat(Mp4Video.probe(file)).isEqualTo(new VideoInfo(320, 240, 24, 12.0));
    }

    @Test
    void noiseMakesBigFilesForMultipartUploads() throws IOException {
        Path file = dir.resolve("noise.mp4");
        Mp4Video.write(file, 640, 480, 48, 24, Mp4Video.Pattern.NOISE, Mp4Video.Inset.NONE);
        assertThat(Files.size(file)).isGreaterThan(5L * 1024 * 1024);
    }

    @Test
    void refusesAFileThatIsNotAVideo() throws IOException {
        Path file = dir.resolve("text.mp4");
        Files.writeString(file, "hello, not a video");
        assertThatThrownBy(() -> Mp4Video.probe(file)).isInstanceOf(IOException.class);
    }
}
