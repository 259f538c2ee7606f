package io.outpaint.media.finish;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads a clip's geometry, rate, length and audio with {@code ffprobe -print_format json}. */
public final class MediaProbe {

    private final FfmpegProcess process;

    MediaProbe(FfmpegProcess process) {
        this.process = process;
    }

    public static MediaProbe using(FfmpegPrograms programs, java.time.Duration timeout) {
        return new MediaProbe(new FfmpegProcess(programs, timeout));
    }

    public MediaInfo probe(Path file) {
        // -count_packets reads the container's index, not the pictures: a frame count without decoding
        String json = process.ffprobe("probe " + file.getFileName(), List.of(
                "-v", "error", "-print_format", "json", "-count_packets",
                "-show_format", "-show_streams", file.toString()));
        try {
            return parse(Json.MAPPER.readTree(json), file);
        } catch (IOException e) {
            throw new FinishFailedException("probe " + file.getFileName() + ": unreadable ffprobe answer", e);
        }
    }

    /**
     * When the first video frame is shown, in seconds on the file's own clock (0 where the stream states none): a
     * frame-exact seek adds it, as the video may start after the sound.
     */
    public double videoStartSeconds(Path file) {
        String start = process.ffprobe("probe start of " + file.getFileName(), List.of("-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=start_time", "-of", "csv=p=0", file.toString())).trim();
        try {
            return start.isEmpty() || start.equals("N/A") ? 0 : Double.parseDouble(start);
        } catch (NumberFormatException e) {
            throw new FinishFailedException("probe start of " + file.getFileName() + ": unreadable start time '" + start + "'", e);
        }
    }

    static MediaInfo parse(JsonNode root, Path file) {
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            if (video == null && type.equals("video") && !stream.path("disposition").path("attached_pic").asBoolean()) {
                video = stream;
            } else if (audio == null && type.equals("audio")) {
                audio = stream;
            }
        }
        if (video == null) {
            throw new FinishFailedException("probe " + file.getFileName() + ": no video stream");
        }
        Rational fps = Rational.parse(rate(video));
        double container = root.path("format").path("duration").asDouble(0);
        long frames = video.path("nb_read_packets").asLong(Math.round(container * fps.value()));
        // WebM states no stream duration, and the container's includes the audio's tail: count frames instead
        double duration = video.path("duration").asDouble(frames > 0 ? frames / fps.value() : container);
        Optional<MediaInfo.Audio> sound = Optional.ofNullable(audio).map(a -> new MediaInfo.Audio(
                a.path("codec_name").asText(), a.path("sample_rate").asInt(), a.path("channels").asInt()));
        return new MediaInfo(video.path("width").asInt(), video.path("height").asInt(), fps, frames, duration,
                video.path("codec_name").asText(), sound);
    }

    /** The average rate when the container states one, else the stream's base rate (WebM often has only that). */
    private static String rate(JsonNode video) {
        String average = video.path("avg_frame_rate").asText("0/0");
        return average.startsWith("0") ? video.path("r_frame_rate").asText() : average;
    }
}
