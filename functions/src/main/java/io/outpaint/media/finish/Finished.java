package io.outpaint.media.finish;

import java.nio.file.Path;

/**
 * A finished clip: the MP4 and its poster, what the output is (from ffprobe, not from the plan),
 * the source's place in it, and how the sound was carried ({@code audioCodec} "none" when the
 * input had none).
 */
public record Finished(Path video, Path poster, int width, int height, FinishSpec.Rect source,
                       double durationSeconds, Rational fps, long frames,
                       String audioCodec, AudioHandling audio, long bytes, String sha256) {}
