package io.outpaint.segments;

/**
 * A scene change in the source: the time of the first frame of the new shot, and FFmpeg's scene
 * score there (0 to 1; higher is a harder cut).
 */
public record SceneCut(double seconds, double score) {

    public SceneCut {
        if (!(seconds >= 0) || !(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("a scene cut is at a time of 0 s or more, with a score from 0 to 1: " + seconds + ", " + score);
        }
    }
}
