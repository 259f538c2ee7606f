package io.outpaint.media.finish;

import java.util.Optional;

/**
 * What ffprobe says about a clip: its first video stream and, when there is one, its first audio
 * stream.
 */
public record MediaInfo(int width, int height, Rational fps, long frames, double durationSeconds,
                        String videoCodec, Optional<Audio> audio) {

    /** An audio stream as it will be copied or converted. */
    public record Audio(String codec, int sampleRate, int channels) {}

    public long pixels() {
        return (long) width * height;
    }
}
