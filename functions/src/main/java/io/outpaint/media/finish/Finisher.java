package io.outpaint.media.finish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Conforms a generation to its input and lays the input back over it (see {@link FinishGraph}),
 * then writes a poster. Probes both clips first and refuses what {@link FinishLimits} forbids
 * before FFmpeg starts.
 */
public final class Finisher {

    static final int POSTER_MAX_WIDTH = 1280;
    /** How far into the source, from each side that meets a margin, the seam blends it with the generation. */
    public static final int SEAM_PX = SeamMask.FEATHER;

    private final FfmpegProcess process;
    private final MediaProbe probe;
    private final FinishLimits limits;

    public Finisher(FfmpegPrograms programs, FinishLimits limits, Duration timeout) {
        this.process = new FfmpegProcess(programs, timeout);
        this.probe = new MediaProbe(process);
        this.limits = limits;
    }

    public Finished finish(Path input, Path generated, FinishSpec spec, Path outDir) {
        return finish(input, generated, probed -> spec, outDir);
    }

    /** As {@link #finish(Path, Path, FinishSpec, Path)}, the spec made from the input as probed (its frame size). */
    public Finished finish(Path input, Path generated, java.util.function.Function<MediaInfo, FinishSpec> specOf, Path outDir) {
        MediaInfo in = probe.probe(input);
        MediaInfo gen = probe.probe(generated);
        FinishSpec spec = specOf.apply(in);
        limits.check(in, spec, size(input) + size(generated));
        checkFits(in, spec);
        AudioHandling audio = AudioHandling.of(in.audio());
        try {
            Files.createDirectories(outDir);
            Path mask = SeamMask.write(spec, outDir.resolve("seam-mask.png"));
            Path video = outDir.resolve("finished.mp4");
            process.ffmpeg("finish", FinishGraph.command(input, generated, mask, video, in, gen, spec, audio));
            Files.deleteIfExists(mask);
            MediaInfo out = probe.probe(video);
            Path poster = poster(process, video, out, outDir.resolve("poster.jpg"));
            String audioCodec = out.audio().map(MediaInfo.Audio::codec).orElse("none");
            return new Finished(video, poster, out.width(), out.height(), spec.source(), out.durationSeconds(),
                    out.fps(), out.frames(), audioCodec, audio, Files.size(video), sha256(video));
        } catch (IOException e) {
            throw new FinishFailedException("finish: " + e.getMessage(), e);
        }
    }

    static void checkFits(MediaInfo in, FinishSpec spec) {
        spec.crop().ifPresent(c -> {
            if (c.x() + c.width() > in.width() || c.y() + c.height() > in.height()) {
                throw new IllegalArgumentException("the crop " + c + " leaves the source's " + in.width() + "x" + in.height()
                        + " pixels");
            }
        });
    }

    /** A frame a third of the way in (past fades and titles), the canvas's size capped to 1280 wide. */
    static Path poster(FfmpegProcess process, Path video, MediaInfo out, Path file) {
        int width = posterWidth(out.width());
        int height = posterHeight(out.width(), out.height());
        String at = String.format(java.util.Locale.ROOT, "%.3f", out.durationSeconds() / 3);
        process.ffmpeg("poster", List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-ss", at, "-i", video.toString(), "-frames:v", "1",
                "-vf", "scale=" + width + ":" + height + ":flags=lanczos", "-q:v", "3", "-f", "image2",
                file.toString()));
        return file;
    }

    static int posterWidth(int width) {
        return Math.min(width, POSTER_MAX_WIDTH);
    }

    static int posterHeight(int width, int height) {
        return (int) Math.round((double) height * posterWidth(width) / width);
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new FinishFailedException("finish: cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
