package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Renders outpainted results, once per distinct geometry, frame count and rate. */
final class Renderer {

    record Spec(OutputGeometry geometry, int frames, int fps, long minBytes) {}

    private final Path dir;
    private final Map<Spec, Path> rendered = new ConcurrentHashMap<>();

    Renderer(Path dir) {
        this.dir = dir;
    }

    /** The spec of the result of {@code input} over a video described by {@code source}. */
    static Spec specFor(JsonNode input, VideoInfo source, long minBytes) {
        int tier = Integer.parseInt(input.path("resolution").asText("720p").replace("p", ""));
        OutputGeometry geometry = OutputGeometry.of(source.width(), source.height(),
                input.path("expandLeft").asBoolean(true), input.path("expandRight").asBoolean(true),
                input.path("expandTop").asBoolean(true), input.path("expandBottom").asBoolean(true),
                input.path("expandRatio").asDouble(0.25), tier, input.path("aspectRatio").asText("auto"));
        int frames = input.path("matchInputNumFrames").asBoolean(false)
                ? source.frames() : input.path("numFrames").asInt(81);
        int fps = input.path("matchInputFramesPerSecond").asBoolean(false)
                ? (int) Math.max(1, Math.round(source.framesPerSecond())) : input.path("framesPerSecond").asInt(16);
        return new Spec(geometry, frames, fps, minBytes);
    }

    /** A file holding the rendered result; callers must not change it. */
    Path render(Spec spec) {
        return rendered.computeIfAbsent(spec, s -> {
            OutputGeometry g = s.geometry();
            // the source rectangle, scaled from the canvas to the output frame
            double sx = (double) g.width() / g.canvasWidth();
            double sy = (double) g.height() / g.canvasHeight();
            Mp4Video.Inset inset = new Mp4Video.Inset((int) (g.left() * sx), (int) (g.top() * sy),
                    (int) (g.sourceWidth() * sx), (int) (g.sourceHeight() * sy));
            try {
                Path file = Files.createTempFile(dir, "result-", ".mp4");
                // big results (for copy benchmarks) are noise, which does not compress
                Mp4Video.write(file, g.width(), g.height(), s.frames(), s.fps(),
                        s.minBytes() > 0 ? Mp4Video.Pattern.NOISE : Mp4Video.Pattern.CANVAS, inset, s.minBytes());
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
