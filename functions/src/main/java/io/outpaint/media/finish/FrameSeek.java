package io.outpaint.media.finish;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reading frames {@code [firstFrame, firstFrame + frames)} of a constant-rate video, frame-exact and without decoding
 * what comes before: FFmpeg seeks to the key frame before the first one, decodes from there and drops every frame
 * shown before half a frame ahead of it; the read stops a frame after the last one, and a
 * {@code trim=end_frame=frames} in the graph makes the count exact. Times are on the file's clock
 * ({@code -seek_timestamp}), from the video's own start, since the sound may start earlier.
 */
public final class FrameSeek {

    private FrameSeek() {}

    /** The input options and the input, for {@code source} whose first video frame is shown at {@code videoStart} s. */
    public static List<String> inputArgs(Path source, double videoStart, Rational fps, long firstFrame, long frames) {
        if (firstFrame < 0 || frames < 1) {
            throw new IllegalArgumentException("frames to read start at 0 or later and number 1 or more: " + firstFrame + ", " + frames);
        }
        double at = videoStart + (firstFrame - 0.5) * fps.den() / fps.num();
        double span = (frames + 1.0) * fps.den() / fps.num();
        return List.of("-seek_timestamp", "1", "-ss", seconds(at), "-t", seconds(span), "-i", source.toString());
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
