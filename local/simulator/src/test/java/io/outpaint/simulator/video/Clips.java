package io.outpaint.simulator.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test clips made, and results measured, with the bundled ffmpeg and ffprobe: real pixels, real streams. */
public final class Clips {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ffmpeg ffmpeg;

    public Clips(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** A test pattern with a moving clock, {@code seconds} long, H.264 (libopenh264) with a 440 Hz AAC tone, in an MP4. */
    public Path testPattern(Path file, int width, int height, int fps, int seconds) throws IOException {
        ffmpeg.ffmpeg(TIMEOUT, List.of("-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds),
                "-c:v", "libopenh264", "-b:v", "8M", "-pix_fmt", "yuv420p", "-c:a", "aac", file.toString()));
        return file;
    }

    /** The same test pattern as a VP8 WebM with no audio. */
    public Path testPatternWebm(Path file, int width, int height, int fps, int seconds) throws IOException {
        ffmpeg.ffmpeg(TIMEOUT, List.of("-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-t", Integer.toString(seconds), "-c:v", "libvpx", "-b:v", "4M", file.toString()));
        return file;
    }

    /** What ffprobe reads in a file, frames counted by decoding. */
    public record Streams(int width, int height, int frames, String frameRate, String codec, String pixelFormat,
                          int audioStreams) {}

    public Streams probe(Path file) throws IOException {
        JsonNode streams = JSON.readTree(ffmpeg.ffprobe(TIMEOUT, List.of("-v", "error", "-count_frames",
                "-show_entries", "stream=codec_type,codec_name,width,height,nb_read_frames,r_frame_rate,pix_fmt",
                "-of", "json", file.toString()))).path("streams");
        JsonNode video = null;
        int audio = 0;
        for (JsonNode stream : streams) {
            if (stream.path("codec_type").asText().equals("video") && video == null) {
                video = stream;
            } else if (stream.path("codec_type").asText().equals("audio")) {
                audio++;
            }
        }
        if (video == null) {
            throw new IOException("no video stream in " + file);
        }
        return new Streams(video.path("width").asInt(), video.path("height").asInt(), video.path("nb_read_frames").asInt(),
                video.path("r_frame_rate").asText(), video.path("codec_name").asText(), video.path("pix_fmt").asText(), audio);
    }

    /**
     * PSNR (dB, every plane) of each of {@code frames} frames: {@code result} cropped to {@code area} against the
     * {@code input} through {@code inputFilters} (its timing and scale). Compared at 4:4:4, so an odd offset is exact.
     */
    public List<Double> psnr(Path result, Mp4Video.Inset area, Path input, String inputFilters, int frames) throws IOException {
        String graph = "[0:v]format=yuv444p,crop=" + area.width() + ":" + area.height() + ":" + area.left() + ":" + area.top()
                + "[measured];[1:v]" + inputFilters + ",format=yuv444p[reference];[measured][reference]psnr=stats_file=-";
        String stats = new String(ffmpeg.ffmpeg(TIMEOUT, List.of("-v", "error", "-i", result.toString(), "-i", input.toString(),
                "-filter_complex", graph, "-frames:v", Integer.toString(frames), "-f", "null", "-")));
        List<Double> values = new ArrayList<>();
        for (String line : stats.split("\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("psnr_avg:")) {
                    String value = field.substring("psnr_avg:".length());
                    values.add(value.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value));
                }
            }
        }
        return values;
    }

    /** Frame {@code index} of {@code video}, decoded to 8-bit RGB. */
    public Rgb frame(Path video, int index, int width, int height) throws IOException {
        byte[] pixels = ffmpeg.ffmpeg(TIMEOUT, List.of("-v", "error", "-i", video.toString(),
                "-vf", "select=eq(n\\," + index + ")", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
        if (pixels.length != width * height * 3) {
            throw new IOException("expected a " + width + "x" + height + " frame, got " + pixels.length + " bytes");
        }
        return new Rgb(width, height, pixels);
    }

    /** An RGB picture, row by row. */
    public record Rgb(int width, int height, byte[] pixels) {

        /** The mean red, green and blue of a rectangle. */
        public double[] mean(int x, int y, int w, int h) {
            double[] sum = new double[3];
            for (int row = y; row < y + h; row++) {
                for (int col = x; col < x + w; col++) {
                    for (int c = 0; c < 3; c++) {
                        sum[c] += pixels[(row * width + col) * 3 + c] & 0xff;
                    }
                }
            }
            return new double[] {sum[0] / (w * h), sum[1] / (w * h), sum[2] / (w * h)};
        }

        /** The distance between the mean colours of the same rectangle in two pictures. */
        public double meanColourDistance(Rgb other, int x, int y, int w, int h) {
            double[] a = mean(x, y, w, h);
            double[] b = other.mean(x, y, w, h);
            return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
        }

        /** The mean absolute difference of the samples of a rectangle, over all three channels. */
        public double meanAbsoluteDifference(Rgb other, int x, int y, int w, int h) {
            long sum = 0;
            for (int row = y; row < y + h; row++) {
                for (int col = x; col < x + w; col++) {
                    for (int c = 0; c < 3; c++) {
                        int i = (row * width + col) * 3 + c;
                        sum += Math.abs((pixels[i] & 0xff) - (other.pixels[i] & 0xff));
                    }
                }
            }
            return sum / (3.0 * w * h);
        }
    }
}
