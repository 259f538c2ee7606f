package io.outpaint.simulator.video;

/** What a video file says about itself: frame size, frame count and rate. */
public record VideoInfo(int width, int height, int frames, double framesPerSecond) {

    public double durationSeconds() {
        return framesPerSecond > 0 ? frames / framesPerSecond : 0;
    }
}
