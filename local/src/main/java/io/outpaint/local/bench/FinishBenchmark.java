package io.outpaint.local.bench;

import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.FinishLimits;
import io.outpaint.media.finish.FinishSpec;
import io.outpaint.media.finish.Finisher;
import io.outpaint.media.finish.H264Quality;
import io.outpaint.media.finish.Rational;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finishing (probes, the composite with its seam, the encode, the poster, the checksum) beside a
 * bare ffmpeg that only pads the same clip to the same canvas and encodes it with the same encoder
 * and settings, in the same run, on a 16:9 clip reframed to 1:1. Each figure is the best of the
 * rounds, bare and finish alternating so that a busy neighbour hurts both alike.
 */
public final class FinishBenchmark {

    private FinishBenchmark() {}

    public static void run(PrintStream out, List<Integer> heights, int seconds, int rounds) throws Exception {
        FfmpegPrograms ffmpeg = FfmpegPrograms.locate();
        Finisher finisher = new Finisher(ffmpeg, FinishLimits.LAMBDA, Duration.ofMinutes(30));
        Path dir = Files.createTempDirectory("finish-bench-");
        out.println("Finish: Finisher.finish vs a bare ffmpeg pad + encode (libopenh264, " + describe(H264Quality.NEAR_LOSSLESS)
                + ", audio copied) of the same " + seconds + " s testsrc2 clip at 24 fps, 16:9 reframed to 1:1, best of "
                + rounds + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        out.printf("%-8s %-11s %16s %18s %8s %14s%n", "source", "canvas", "bare s per s", "finish s per s", "ratio",
                "Mpx-frames/s");
        for (int height : heights) {
            int width = height * 16 / 9 / 2 * 2;
            FinishSpec spec = FinishSpec.of(width, width, new FinishSpec.Rect(0, (width - height) / 2 / 2 * 2, width, height));
            Path input = make(ffmpeg, dir, "in" + height + ".mp4", List.of("-f", "lavfi", "-i",
                    "testsrc2=size=" + width + "x" + height + ":rate=24:duration=" + seconds,
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac",
                    "-c:v", "libopenh264", "-b:v", "8M"));
            // the model's 720p tier: 81 frames at 16 fps, the margins a flat colour
            int genWidth = 720;
            int genHeight = height * genWidth / width / 2 * 2;
            Path generated = make(ffmpeg, dir, "gen" + height + ".mp4", List.of("-i", input.toString(), "-vf",
                    "fps=16,scale=" + genWidth + ":" + genHeight + ",pad=" + genWidth + ":" + genWidth + ":0:(oh-ih)/2:color=0x3050A0",
                    "-frames:v", "81", "-an", "-c:v", "libopenh264", "-b:v", "4M"));
            double bare = Double.MAX_VALUE;
            double finish = Double.MAX_VALUE;
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                bare(ffmpeg, input, spec, dir.resolve("bare" + height + ".mp4"));
                bare = Math.min(bare, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                finisher.finish(input, generated, spec, dir.resolve("finished" + height));
                finish = Math.min(finish, (System.nanoTime() - t0) / 1e9);
            }
            double pixelFrames = (double) width * width * 24 * seconds;
            out.printf("%-8s %-11s %16.2f %18.2f %7.2fx %14.1f%n", height + "p", width + "x" + width, bare / seconds,
                    finish / seconds, finish / bare, pixelFrames / finish / 1e6);
        }
        deleteAll(dir);
    }

    private static String describe(H264Quality q) {
        return q.bitsPerPixel() + " bit/px, QP " + q.qmin() + "-" + q.qmax();
    }

    private static void bare(FfmpegPrograms ffmpeg, Path input, FinishSpec spec, Path output) throws Exception {
        List<String> args = new ArrayList<>(List.of("-i", input.toString(), "-vf",
                "pad=" + spec.canvasWidth() + ":" + spec.canvasHeight() + ":" + spec.source().x() + ":" + spec.source().y(),
                "-map", "0:v", "-map", "0:a", "-c:a", "copy"));
        args.addAll(H264Quality.NEAR_LOSSLESS.encoderArgs(spec.canvasWidth(), spec.canvasHeight(), new Rational(24, 1)));
        args.addAll(List.of("-movflags", "+faststart"));
        make(ffmpeg, output.getParent(), output.getFileName().toString(), args);
    }

    private static Path make(FfmpegPrograms ffmpeg, Path dir, String name, List<String> args) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(ffmpeg.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y",
                "-loglevel", "error"));
        command.addAll(args);
        command.add(out.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(ffmpeg.environment());
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("ffmpeg failed making " + name + ": " + log);
        }
        return out;
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
