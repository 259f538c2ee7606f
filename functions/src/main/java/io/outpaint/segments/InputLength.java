package io.outpaint.segments;

import io.outpaint.media.VideoProbe;
import io.outpaint.request.FieldError;
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

    /** The plan of the probed clip with the request's rate, or empty when its headers state no rate or frame count. */
    public static Optional<SegmentPlan> plan(VideoProbe.Video video, boolean matchInputRate, Integer framesPerSecond, SegmentRules rules,
                                             long seed) {
        if (!video.hasFrames()) {
            return Optional.empty();
        }
        double generation = matchInputRate || framesPerSecond == null ? video.framesPerSecond() : framesPerSecond;
        return Optional.of(SegmentPlanner.plan(video.frames(), video.framesPerSecond(), generation, rules, java.util.List.of(), seed));
    }
}
