package io.outpaint.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.media.finish.FfmpegProcess;
import io.outpaint.media.finish.FfmpegPrograms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneCutsTest {

    private static final FfmpegProcess FFMPEG = new FfmpegProcess(FfmpegPrograms.locate(), Duration.ofMinutes(2));
    private static final double FPS = 24;

    @Test
    void findsEachHardCutOfAClipWithinOneFrame(@TempDir Path dir) {
        // testsrc2 for 2 s, a flat colour for 1.5 s, then SMPTE bars: hard cuts at 2.0 s and 3.5 s
        Path clip = dir.resolve("cuts.mp4");
        FFMPEG.ffmpeg("make cuts.mp4", List.of("-nostdin", "-v", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24:duration=2",
                "-f", "lavfi", "-i", "color=c=0x3060C0:size=320x240:rate=24:duration=1.5",
                "-f", "lavfi", "-i", "smptebars=size=320x240:rate=24:duration=1.5",
                "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]", "-map", "[v]",
                "-c:v", "libopenh264", "-b:v", "2M", clip.toString()));

        List<SceneCut> cuts = new SceneCuts(FFMPEG, SceneCuts.DEFAULT_THRESHOLD).find(clip);

        assertThat(cuts).hasSize(2);
        assertThat(cuts.get(0).seconds()).isCloseTo(2.0, Offset.offset(1 / FPS));
        assertThat(cuts.get(1).seconds()).isCloseTo(3.5, Offset.offset(1 / FPS));
        assertThat(cuts).allSatisfy(c -> assertThat(c.score()).isGreaterThan(SceneCuts.DEFAULT_THRESHOLD));
    }

    @Test
    void findsNoCutInOneContinuousShot(@TempDir Path dir) {
        Path clip = dir.resolve("one-shot.mp4");
        FFMPEG.ffmpeg("make one-shot.mp4", List.of("-nostdin", "-v", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24:duration=3", "-c:v", "libopenh264", "-b:v", "2M", clip.toString()));
        assertThat(new SceneCuts(FFMPEG, SceneCuts.DEFAULT_THRESHOLD).find(clip)).isEmpty();
    }

    @Test
    void readsEachFramesTimeAndScoreFromTheMetadataPrint() {
        String printed = """
                frame:0    pts:48      pts_time:2
                lavfi.scene_score=0.912000
                frame:1    pts:NOPTS   pts_time:NOPTS
                lavfi.scene_score=0.500000
                frame:2    pts:84      pts_time:3.5
                lavfi.scene_score=1.000000
                """;
        assertThat(SceneCuts.parse(printed)).containsExactly(new SceneCut(2, 0.912), new SceneCut(3.5, 1));
    }
}
