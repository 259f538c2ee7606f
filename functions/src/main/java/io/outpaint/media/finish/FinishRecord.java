package io.outpaint.media.finish;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The job record's {@code finish} section: what the finished video is (from ffprobe, not from the
 * plan), where the source's pixels are in it, its rate and frame count, how the sound was carried,
 * and the keys of the finished video, the raw generation and the poster.
 */
public final class FinishRecord {

    private FinishRecord() {}

    public static ObjectNode of(Finished f, String videoKey, String rawKey, String posterKey) {
        ObjectNode json = io.outpaint.json.Json.MAPPER.createObjectNode();
        json.put("width", f.width()).put("height", f.height());
        FinishSpec.Rect s = f.source();
        json.putObject("source").put("x", s.x()).put("y", s.y()).put("width", s.width()).put("height", s.height());
        json.put("fps", f.fps().toString());
        json.put("frames", f.frames());
        json.put("durationSeconds", f.durationSeconds());
        ObjectNode audio = json.putObject("audio");
        if (f.audio() != AudioHandling.NONE) {
            audio.put("codec", f.audioCodec());
        }
        audio.put("handling", handling(f.audio()));
        json.put("video", videoKey).put("raw", rawKey).put("poster", posterKey);
        return json;
    }

    /** The sound as the record says it: copied, converted (to AAC) or none. */
    static String handling(AudioHandling audio) {
        return switch (audio) {
            case COPIED -> "copied";
            case CONVERTED_TO_AAC -> "converted";
            case NONE -> "none";
        };
    }
}
