package io.outpaint.simulator.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Renders a {@link RenderPlan} from an input video with the bundled ffmpeg: H.264 (libopenh264) MP4, no audio. */
public final class FfmpegRenderer {

    /** Far above a 241-frame 720p render (seconds): a stuck ffmpeg is stopped, not waited for. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Ffmpeg ffmpeg;

    public FfmpegRenderer(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** Writes the result to {@code output}; fails with {@link Ffmpeg.FfmpegException} on an input ffmpeg cannot decode. */
    public void render(Path input, RenderPlan plan, Path output) throws IOException {
        Path mark = Files.createTempFile(output.toAbsolutePath().getParent(), "mark-", ".pgm");
        try {
            Files.write(mark, plan.markImage());
            ffmpeg.ffmpeg(TIMEOUT, arguments(input, mark, plan, output));
        } finally {
            Files.deleteIfExists(mark);
        }
    }

    /** The command line, without the program. */
    static List<String> arguments(Path input, Path mark, RenderPlan plan, Path output) {
        return List.of("-v", "error", "-y",
                // one core: the simulator stands in for a remote service and must not starve the pipeline beside it
                "-threads", "1", "-filter_threads", "1", "-filter_complex_threads", "1",
                "-i", input.toString(),
                "-i", mark.toString(),
                "-filter_complex", plan.filterGraph(),
                "-map", "[out]",
                "-frames:v", Integer.toString(plan.frames()),
                "-r", Integer.toString(plan.fps()),
                // the real model returns no audio
                "-an",
                "-c:v", "libopenh264", "-b:v", Long.toString(plan.bitsPerSecond()),
                "-pix_fmt", "yuv420p",
                "-movflags", "+faststart",
                "-f", "mp4", output.toString());
    }
}
