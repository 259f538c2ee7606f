package io.outpaint.request;

/**
 * The model's bounds on what one generation makes (scenario-api.md): {@code numFrames} and
 * {@code framesPerSecond}. One place, read by the request's validation and the segment planner.
 */
public final class FrameLimits {

    /** The fewest frames one generation makes, and Scenario's default {@code numFrames} (the model was trained on 81). */
    public static final int MIN_FRAMES = 81;
    /** The most frames one generation makes: 15 s at 16 fps. */
    public static final int MAX_FRAMES = 241;
    public static final int MIN_FPS = 5;
    public static final int MAX_FPS = 30;
    /** The rate the model generates at unless {@code matchInputFramesPerSecond}. */
    public static final int DEFAULT_FPS = 16;

    private FrameLimits() {}
}
