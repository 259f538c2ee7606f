package io.outpaint.media.finish;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What happens to the input's sound: copied packet for packet, converted to AAC, or there is none. */
public enum AudioHandling {
    COPIED, CONVERTED_TO_AAC, NONE;

    /** Codecs FFmpeg's MP4 muxer stores as they are (PCM, Vorbis and the like are not among them). */
    static final Set<String> MP4_CARRIES = Set.of("aac", "mp3", "opus", "alac", "ac3", "eac3", "flac");

    static AudioHandling of(Optional<MediaInfo.Audio> audio) {
        return audio.map(a -> MP4_CARRIES.contains(a.codec()) ? COPIED : CONVERTED_TO_AAC).orElse(NONE);
    }

    /** The output's audio arguments, input 0 being the original clip. */
    List<String> args() {
        return switch (this) {
            case COPIED -> List.of("-map", "0:a:0", "-c:a", "copy");
            case CONVERTED_TO_AAC -> List.of("-map", "0:a:0", "-c:a", "aac", "-b:a", "192k");
            case NONE -> List.of();
        };
    }
}
