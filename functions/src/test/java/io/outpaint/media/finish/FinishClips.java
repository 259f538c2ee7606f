package io.outpaint.media.finish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real clips made by the bundled ffmpeg for the finishing tests (testsrc2 pictures, a sine tone),
 * and the measurements the tests take on results (PSNR of a region, audio packets' MD5).
 */
final class FinishClips {

    static final FfmpegProcess FFMPEG = new FfmpegProcess(FfmpegPrograms.locate(), Duration.ofMinutes(5));
    static final MediaProbe PROBE = new MediaProbe(FFMPEG);
    /** The model's 480p tier's length and rate: 81 frames at 16 fps. */
    static final int GENERATED_FRAMES = 81;
    static final String PAD_COLOUR = "0xFF00FF";

    private final Path dir;

    FinishClips(Path dir) {
        this.dir = dir;
    }

    /** testsrc2 with a 440 Hz tone in AAC (or {@code audio} null: no sound), H.264 at high quality. */
    Path mp4(String name, int width, int height, String fps, double seconds, String audioCodec) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=" + fps + ":duration=" + seconds));
        if (audioCodec != null) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                    "-c:a", audioCodec));
        }
        args.addAll(H264Quality.NEAR_LOSSLESS.encoderArgs(width, height, Rational.parse(fps)));
        args.add(out.toString());
        return run(args, out);
    }

    /** testsrc2 in VP9 with an Opus tone, as a WebM. */
    Path webm(String name, int width, int height, String fps, double seconds) {
        Path out = dir.resolve(name);
        return run(List.of("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps
                        + ":duration=" + seconds,
                "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=" + seconds,
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-crf", "10", "-b:v", "0",
                "-c:a", "libopus", out.toString()), out);
    }

    /** testsrc2 with PCM sound in Matroska: a codec MP4 cannot carry. */
    Path mkvWithPcm(String name, int width, int height, double seconds) {
        Path out = dir.resolve(name);
        return run(List.of("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=24:duration=" + seconds,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                "-c:v", "libopenh264", "-b:v", "4M", "-c:a", "pcm_s16le", out.toString()), out);
    }

    /**
     * A stand-in for the model's output: the input's timeline stretched onto 81 frames at 16 fps,
     * scaled onto a smaller canvas and padded with a loud colour where the margins would be.
     */
    Path generated(String name, Path input, int width, int height, FinishSpec spec) {
        MediaInfo in = PROBE.probe(input);
        double scale = (double) width / spec.canvasWidth();
        int w = even(spec.source().width() * scale);
        int h = even(spec.source().height() * scale);
        int x = even(spec.source().x() * scale);
        int y = even(spec.source().y() * scale);
        double stretch = (GENERATED_FRAMES / 16.0) / in.durationSeconds();
        String crop = spec.crop().map(c -> "crop=" + c.width() + ":" + c.height() + ":" + c.x() + ":" + c.y() + ",").orElse("");
        Path out = dir.resolve(name);
        return run(List.of("-i", input.toString(), "-vf",
                crop + "setpts=PTS*" + stretch + ",fps=16,scale=" + w + ":" + h + ",pad=" + width + ":" + height + ":" + x
                        + ":" + y + ":color=" + PAD_COLOUR + ",tpad=stop_mode=clone:stop=16",
                "-frames:v", Integer.toString(GENERATED_FRAMES), "-an", "-c:v", "libopenh264", "-b:v", "4M",
                out.toString()), out);
    }

    /**
     * What a model would paint around the picture, at the input's rate and length on the generation's canvas: a colour
     * spectrum scrolling sideways at an even pace, so that its frame-to-frame difference is the same all along.
     */
    Path scene(String name, int width, int height, String fps, double seconds) {
        Path out = dir.resolve(name);
        return run(List.of("-f", "lavfi", "-i", "colorspectrum=size=" + 2 * width + "x" + 2 * height + ":rate=" + fps + ":duration="
                        + seconds + ",scroll=horizontal=0.005,scale=" + width + ":" + height + ",format=yuv420p",
                "-c:v", "ffv1", out.toString()), out);
    }

    /**
     * A stand-in for one segment's generation: frames {@code [first, end)} of the input and of {@code scene} stretched
     * onto {@code frames} frames at 16 fps, the input scaled into its place on the scene, whose colour is shifted by
     * {@code (cb, cr)} (8-bit chroma steps): margins that go on from one segment to the next as a model's do, each
     * segment's with its own cast, as two generations differ.
     */
    Path segmentGenerated(String name, Path input, Path scene, long first, long end, int frames, FinishSpec spec, int cb, int cr) {
        return segmentGenerated(name, input, scene, first, end, frames, spec, cb, cr, 0);
    }

    /**
     * As above, the source's picture {@code spill} rows (of the generation) taller than its place, above and below: rows
     * of the source in the margins that no cast reaches, as a model's window stretched over the canvas leaves them.
     */
    Path segmentGenerated(String name, Path input, Path scene, long first, long end, int frames, FinishSpec spec, int cb, int cr,
                          int spill) {
        MediaInfo in = PROBE.probe(input);
        MediaInfo canvas = PROBE.probe(scene);
        double scale = (double) canvas.width() / spec.canvasWidth();
        int w = even(spec.source().width() * scale);
        int h = even(spec.source().height() * scale);
        int x = even(spec.source().x() * scale);
        int y = even(spec.source().y() * scale);
        double stretch = (frames / 16.0) / ((end - first) / in.fps().value());
        String cut = "trim=start_frame=" + first + ":end_frame=" + end + ",setpts=(PTS-STARTPTS)*" + stretch + ",fps=16";
        Path out = dir.resolve(name);
        return run(List.of("-i", input.toString(), "-i", scene.toString(), "-filter_complex",
                "[1:v]" + cut + ",lutyuv=u=val+" + cb + ":v=val+" + cr + "[bg];[0:v]" + cut + ",scale=" + w + ":" + (h + 2 * spill)
                        + "[fg];[bg][fg]overlay=" + x + ":" + (y - spill) + ",tpad=stop_mode=clone:stop=16[v]",
                "-map", "[v]", "-frames:v", Integer.toString(frames), "-an", "-c:v", "libopenh264", "-b:v", "4M",
                out.toString()), out);
    }

    /** PSNR (dB, all planes) of {@code region} of {@code output} against the whole of {@code reference}, frame by frame. */
    static double psnr(Path output, String region, Path reference) {
        return java.util.Arrays.stream(psnrs(output, region, reference)).average().orElseThrow();
    }

    /** As {@link #psnr}, frame by frame: a frame out of place shows even where the average would hide it. */
    static double[] psnrs(Path output, String region, Path reference) {
        return framePsnrs(FFMPEG.ffmpeg("psnr", List.of("-hide_banner", "-nostdin", "-i", output.toString(),
                "-i", reference.toString(), "-lavfi",
                "[0:v]" + region + ",settb=1,setpts=N[a];[1:v]format=yuv420p,settb=1,setpts=N[b];[a][b]psnr=stats_file=-",
                "-f", "null", "-")));
    }

    private static double[] framePsnrs(String statsLines) {
        Matcher m = Pattern.compile("psnr_avg:([0-9.]+|inf)").matcher(statsLines);
        List<Double> values = new ArrayList<>();
        while (m.find()) {
            values.add(m.group(1).equals("inf") ? 100 : Double.parseDouble(m.group(1)));
        }
        if (values.isEmpty()) {
            throw new AssertionError("no PSNR in: " + statsLines);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** MD5 of each decoded frame of {@code clip} through {@code filter}, in order: equal lists are equal pictures. */
    static List<String> frameMd5s(Path clip, String filter) {
        String out = FFMPEG.ffmpeg("frame md5", List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-i", clip.toString(),
                "-vf", filter, "-an", "-f", "framemd5", "-"));
        return out.lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }

    /** MD5 of the first audio stream's packets, copied as they are. */
    static String audioMd5(Path clip) {
        return FFMPEG.ffmpeg("audio md5", List.of("-hide_banner", "-nostdin", "-loglevel", "error",
                "-i", clip.toString(), "-map", "0:a", "-c:a", "copy", "-f", "md5", "-")).trim();
    }

    /** The picture of {@code clip} through {@code filter}, kept lossless (FFV1) to measure against. */
    Path lossless(Path clip, String filter, String name) {
        Path out = dir.resolve(name);
        return run(List.of("-i", clip.toString(), "-vf", filter, "-an", "-c:v", "ffv1", out.toString()), out);
    }

    /** One frame's region as a PNG, to read colours from. */
    Path frame(Path clip, int index, String region, String name) {
        Path out = dir.resolve(name);
        return run(List.of("-i", clip.toString(), "-vf", "select=eq(n\\," + index + ")," + region,
                "-frames:v", "1", out.toString()), out);
    }

    /** Every frame of {@code clip} decoded to 8-bit 4:2:0, plane after plane, frame after frame. */
    byte[] yuv(Path clip, String name) throws IOException {
        return Files.readAllBytes(run(List.of("-i", clip.toString(), "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "yuv420p",
                dir.resolve(name).toString()), dir.resolve(name)));
    }

    /** The mean red, green and blue of a picture. */
    static double[] meanRgb(Path png) throws IOException {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        long[] sum = new long[3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        double n = (double) image.getWidth() * image.getHeight();
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    private Path run(List<String> args, Path out) {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        all.addAll(args);
        FFMPEG.ffmpeg("make " + out.getFileName(), all);
        if (!Files.isRegularFile(out)) {
            throw new UncheckedIOException(new IOException("ffmpeg wrote no " + out));
        }
        return out;
    }

    private static int even(double v) {
        return (int) Math.round(v / 2) * 2;
    }
}
