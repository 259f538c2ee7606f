package io.outpaint.segments;

import io.outpaint.media.finish.FfmpegProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scene changes of a local clip, by FFmpeg's scene score ({@code select='gt(scene,T)'}): each frame
 * that differs from the one before by more than the threshold is the first frame of a new shot. The
 * scores are written by the {@code metadata} filter to a file of their own, since the process keeps only
 * stderr's last lines.
 */
public final class SceneCuts {

    /** FFmpeg's usual threshold for a cut: lower finds fades and fast pans too. */
    public static final double DEFAULT_THRESHOLD = 0.3;
    /** Scored on a small picture: the score is a mean absolute difference, as good at 320 px wide and far cheaper. */
    private static final int SCORED_WIDTH = 320;
    private static final Pattern FRAME = Pattern.compile("pts_time:(\\S+)");
    private static final Pattern SCORE = Pattern.compile("lavfi\\.scene_score=(\\S+)");

    private final FfmpegProcess ffmpeg;
    private final double threshold;

    public SceneCuts(FfmpegProcess ffmpeg, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("a scene threshold is between 0 and 1: " + threshold);
        }
        this.ffmpeg = ffmpeg;
        this.threshold = threshold;
    }

    /** The scene changes in {@code clip}, in time order; FFmpeg's failure is a {@link io.outpaint.media.finish.FinishFailedException}. */
    public List<SceneCut> find(Path clip) {
        Path scores = null;
        try {
            scores = Files.createTempFile("scene-scores", ".txt");
            if (!scores.toString().matches("[A-Za-z0-9/._-]+")) {
                throw new IllegalStateException("a temporary path FFmpeg's filter options cannot carry unescaped: " + scores);
            }
            ffmpeg.ffmpeg("scene changes of " + clip.getFileName(), List.of("-nostdin", "-v", "error", "-i", clip.toString(),
                    "-an", "-sn", "-dn", "-vf", "scale=" + SCORED_WIDTH + ":-2,select='gt(scene," + String.format(Locale.ROOT, "%.3f", threshold)
                            + ")',metadata=mode=print:file=" + scores, "-f", "null", "-"));
            return parse(Files.readString(scores, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("scene changes of " + clip.getFileName(), e);
        } finally {
            if (scores != null) {
                scores.toFile().delete();
            }
        }
    }

    /** The metadata filter's print: a {@code frame:N pts:P pts_time:T} line, then that frame's {@code key=value} lines. */
    static List<SceneCut> parse(String printed) {
        List<SceneCut> cuts = new ArrayList<>();
        Double time = null;
        for (String line : printed.split("\\R")) {
            Matcher frame = FRAME.matcher(line);
            Matcher score = SCORE.matcher(line);
            if (frame.find()) {
                time = number(frame.group(1));
            } else if (score.find() && time != null) {
                Double value = number(score.group(1));
                if (value != null) {
                    cuts.add(new SceneCut(Math.max(0, time), Math.min(1, Math.max(0, value))));
                }
                time = null;
            }
        }
        return List.copyOf(cuts);
    }

    /** A number, or null for FFmpeg's {@code NOPTS}/{@code nan}: a frame without a time cannot place a cut. */
    private static Double number(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
