package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled programs start on a machine without PulseAudio, ALSA or XCB, and JavaCPP's cache goes where it can be written. */
class FinishProgramsTest {

    @TempDir
    Path dir;

    @Test
    void startsTheBundledFfmpegAndFfprobeWithTheLgplOpenH264Build() {
        FfmpegProcess process = new FfmpegProcess(FfmpegPrograms.locate(), Duration.ofMinutes(1));
        String version = process.ffmpeg("version", List.of("-hide_banner", "-version"));
        assertThat(version).contains("--enable-libopenh264").doesNotContain("--enable-gpl");
        assertThat(process.ffprobe("version", List.of("-hide_banner", "-version"))).startsWith("ffprobe version 7.1");
    }

    @Test
    void movesJavacppsCacheToTmpWhenTheHomeCannotTakeIt() {
        // Lambda's home (/home/sbx_user...) does not exist for the function's user and cannot be made
        assertThat(FfmpegPrograms.cacheDirOverride(null, Path.of("/nonexistent-home"), Path.of("/tmp")))
                .contains(Path.of("/tmp/javacpp-cache"));
    }

    @Test
    void keepsTheCacheWhereItIsWhenTheHomeIsWritableOrItIsConfigured() {
        assertThat(FfmpegPrograms.cacheDirOverride(null, dir, Path.of("/tmp"))).isEmpty();
        assertThat(FfmpegPrograms.cacheDirOverride("/opt/cache", Path.of("/nonexistent"), Path.of("/tmp"))).isEmpty();
    }
}
