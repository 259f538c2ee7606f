package io.outpaint.local.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.media.finish.FfmpegPrograms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the end-to-end tests read off a video with the bundled FFmpeg (its audio packets' MD5, a region's PSNR), and the
 * calm clips they make with it.
 */
public final class VideoChecks {

    private static final FfmpegPrograms FFMPEG = FfmpegPrograms.locate();

    private VideoChecks() {}

    /** The MD5 of the clip's audio packets, copied as they are. */
    public static String audioMd5(Path clip) throws Exception {
        return ffmpeg("-loglevel", "error", "-i", clip.toString(), "-map", "0:a", "-c:a", "copy", "-f", "md5", "-").trim();
    }

    /** PSNR (dB, all planes, averaged over the frames) of {@code region} of {@code output} against {@code part} of {@code reference}. */
    public static double psnr(Path output, String region, Path reference, String part) throws Exception {
        String log = ffmpeg("-i", output.toString(), "-i", reference.toString(), "-lavfi",
                "[0:v]" + region + ",format=yuv420p,settb=1,setpts=N[a];[1:v]" + part
                        + ",format=yuv420p,settb=1,setpts=N[b];[a][b]psnr=stats_file=-", "-f", "null", "-");
        Matcher m = Pattern.compile("psnr_avg:([0-9.]+|inf)").matcher(log);
        double sum = 0;
        int n = 0;
        while (m.find()) {
            sum += m.group(1).equals("inf") ? 100 : Double.parseDouble(m.group(1));
            n++;
        }
        assertThat(n).as("PSNR lines in " + log).isPositive();
        return sum / n;
    }

    /**
     * A clip of {@code seconds} at 24 fps, 320x240 (4:3), with a sine tone, written to {@code out}: slowly moving gradients, as
     * calm as much real footage (on testsrc2's busy pattern, mirrored into the margins, even a hard cut between two
     * generations hides in the motion). Longer than 15 s, it is more than one generation: a clip of segments. Its colours
     * are drawn at random each time, from a seed it prints; {@code -Dcalm.seed=N} draws that clip again.
     */
    public static Path calmClip(Path out, int seconds) throws Exception {
        return calmClip(out, seconds, 24);
    }

    /**
     * The same calm clip at {@code fps}. A long clip is planned in seconds (a segment lasts at most one generation, 15 s at the
     * model's 16 fps, whatever the source's rate), so at 8 fps it has the segments, the generations and the shapes it has at
     * 24, with a third of the frames to cut, finish and join: for the tests whose subject is not the source's rate.
     */
    public static Path calmClip(Path out, int seconds, int fps) throws Exception {
        long seed = Long.getLong("calm.seed", java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE));
        System.out.printf("calm clip %s: %d s at %d fps, -Dcalm.seed=%d%n", out.getFileName(), seconds, fps, seed);
        ffmpeg("-f", "lavfi", "-i", "gradients=size=320x240:rate=" + fps + ":speed=0.02:seed=" + seed + ":duration=" + seconds, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac", "-c:v", "libopenh264", "-b:v", "2M",
                "-pix_fmt", "yuv420p", out.toString());
        return out;
    }

    /** The bundled ffmpeg; its standard output (md5, PSNR stats) as text. */
    public static String ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FFMPEG.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(FFMPEG.environment());
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("ffmpeg " + String.join(" ", args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
