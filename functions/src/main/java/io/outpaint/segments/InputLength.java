package io.outpaint.segments;

import io.outpaint.media.VideoProbe;
import io.outpaint.request.FieldError;
import io.outpaint.request.FrameLimits;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The longest clip a deployment takes ({@code MAX_INPUT_SECONDS}): checked from the headers, before anything is spent. */
public record InputLength(Duration max) {

    /** How long the probed clip lasts: its frames over its rate when the headers state them, else the container's duration. */
    public static double seconds(VideoProbe.Video video) {
        return video.hasFrames() ? video.frames() / video.framesPerSecond() : video.durationSeconds();
    }

    /** The problem with a clip over the limit, naming the limit and the clip's length; a clip of unknown length passes. */
    public Optional<FieldError> problemWith(VideoProbe.Video video, String field) {
        double seconds = seconds(video);
        if (seconds * 1000 <= max.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(FieldError.problem(field, String.format(Locale.ROOT,
                "the clip lasts %.1f s; the longest this deployment takes is %d s (MAX_INPUT_SECONDS); cut it shorter",
                seconds, max.toSeconds())));
    }

    /**
     * The plan of the probed clip with the request's rate. A clip whose headers state its duration but not its frame count or
     * rate (a WebM without a default duration) is planned from its duration, counted at its stated rate, else the request's
     * {@code framesPerSecond}, else the model's default rate: Split counts its frames with FFmpeg and plans it again before
     * cutting. Empty when the headers state neither frames nor duration.
     */
    public static Optional<SegmentPlan> plan(VideoProbe.Video video, boolean matchInputRate, Integer framesPerSecond, SegmentRules rules,
                                             long seed) {
        if (video.hasFrames()) {
            return Optional.of(SegmentPlanner.plan(video.frames(), video.framesPerSecond(),
                    generationFps(video.framesPerSecond(), matchInputRate, framesPerSecond), rules, java.util.List.of(), seed));
        }
        if (!(video.durationSeconds() > 0) || Double.isInfinite(video.durationSeconds())) {
            return Optional.empty();
        }
        double rate = video.framesPerSecond() > 0 ? video.framesPerSecond()
                : !matchInputRate && framesPerSecond != null ? framesPerSecond : FrameLimits.DEFAULT_FPS;
        long frames = Math.max(1, Math.round(video.durationSeconds() * rate));
        return Optional.of(SegmentPlanner.plan(frames, rate, generationFps(rate, matchInputRate, framesPerSecond), rules,
                java.util.List.of(), seed));
    }

    /** The rate a clip at {@code sourceFps} is generated at: its own when the request matches it or names none, else the request's. */
    public static double generationFps(double sourceFps, boolean matchInputRate, Integer framesPerSecond) {
        return matchInputRate || framesPerSecond == null ? sourceFps : framesPerSecond;
    }
}
