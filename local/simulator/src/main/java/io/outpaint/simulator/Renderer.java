package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.SimulatedFrame;
import io.outpaint.simulator.video.WebmVideo;
import java.util.Optional;
import org.jcodec.common.model.Picture;
import io.outpaint.simulator.video.VideoInfo;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders simulated results, once per source video's content, geometry, frame count and rate: the
 * user's frame placed where the model keeps it, a mirrored, dimmed extension around it, a
 * "SIMULATED" mark. The same video uploaded again (a new asset, a new file) is not rendered again:
 * Scenario's work does not run on this machine, so the simulator should not take its CPU from the
 * pipeline it stands beside.
 */
final class Renderer {

    /** What to render; {@code source} is the user's video (its frame is shown), {@code mediaType} its container. */
    record Spec(OutputGeometry geometry, int frames, int fps, long minBytes, Path source, String mediaType) {}

    /** What a render depends on: the spec with the source's content in place of its file. */
    private record Key(OutputGeometry geometry, int frames, int fps, long minBytes, String sourceSha256, String mediaType) {}

    private final Path dir;
    private final Map<Key, Path> rendered = new ConcurrentHashMap<>();

    Renderer(Path dir) {
        this.dir = dir;
    }

    /** The spec of the result of {@code input} over a video described by {@code source}. */
    static Spec specFor(JsonNode input, VideoInfo source, long minBytes, Path sourceFile, String mediaType) {
        int tier = Integer.parseInt(input.path("resolution").asText("720p").replace("p", ""));
        OutputGeometry geometry = OutputGeometry.of(source.width(), source.height(),
                input.path("expandLeft").asBoolean(true), input.path("expandRight").asBoolean(true),
                input.path("expandTop").asBoolean(true), input.path("expandBottom").asBoolean(true),
                input.path("expandRatio").asDouble(0.25), tier, input.path("aspectRatio").asText("auto"));
        int frames = input.path("matchInputNumFrames").asBoolean(false)
                ? source.frames() : input.path("numFrames").asInt(81);
        int fps = input.path("matchInputFramesPerSecond").asBoolean(false)
                ? (int) Math.max(1, Math.round(source.framesPerSecond())) : input.path("framesPerSecond").asInt(16);
        return new Spec(geometry, frames, fps, minBytes, sourceFile, mediaType);
    }

    /** A file holding the rendered result; callers must not change it. */
    Path render(Spec spec) {
        Key key = new Key(spec.geometry(), spec.frames(), spec.fps(), spec.minBytes(), sha256(spec.source()), spec.mediaType());
        return rendered.computeIfAbsent(key, k -> {
            Spec s = spec;
            OutputGeometry g = s.geometry();
            // the source rectangle, scaled from the canvas to the output frame
            double sx = (double) g.width() / g.canvasWidth();
            double sy = (double) g.height() / g.canvasHeight();
            Mp4Video.Inset inset = new Mp4Video.Inset((int) (g.left() * sx), (int) (g.top() * sy),
                    (int) (g.sourceWidth() * sx), (int) (g.sourceHeight() * sy));
            try {
                Path file = Files.createTempFile(dir, "result-", ".mp4");
                if (s.minBytes() > 0) {
                    // big results (for copy benchmarks) are noise, which does not compress
                    Mp4Video.write(file, g.width(), g.height(), s.frames(), s.fps(), Mp4Video.Pattern.NOISE, inset, s.minBytes());
                } else {
                    Optional<Picture> frame = "video/webm".equals(s.mediaType())
                            ? WebmVideo.firstFrame(s.source()) : Mp4Video.middleFrame(s.source());
                    Picture picture = SimulatedFrame.compose(frame, g.sourceWidth(), g.sourceHeight(), g.width(), g.height(), inset);
                    Mp4Video.write(file, picture, s.frames(), s.fps(), 0);
                }
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
