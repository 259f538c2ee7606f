package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.simulator.video.Ffmpeg;
import io.outpaint.simulator.video.FfmpegRenderer;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.RenderPlan;
import io.outpaint.simulator.video.SimulatedFrame;
import io.outpaint.simulator.video.Tint;
import io.outpaint.simulator.video.VideoInfo;
import io.outpaint.simulator.video.WebmVideo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jcodec.common.model.Picture;

/**
 * Renders simulated results, once per source video's content, geometry, frame count, rate and seed: every frame of
 * the user's video placed where the model keeps it, margins mirrored from the frame and tinted per generation, a
 * "SIMULATED" mark ({@link RenderPlan}). Where the bundled ffmpeg cannot run or cannot decode the input, the result is
 * one still frame repeated, as before ({@link SimulatedFrame}). The same video uploaded again is not rendered again, and
 * renders run one at a time on a thread of their own: Scenario's work does not run on this machine, so the simulator
 * should not take much CPU from the pipeline it stands beside.
 */
final class Renderer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Renderer.class.getName());

    /** What to render; {@code source} is the user's video, {@code mediaType} its container. */
    record Spec(OutputGeometry geometry, int frames, int fps, boolean frameForFrame, long seed, long minBytes,
                Path source, String mediaType) {}

    /** What a render depends on: the spec with the source's content in place of its file. */
    private record Key(OutputGeometry geometry, int frames, int fps, boolean frameForFrame, long seed, long minBytes,
                       String sourceSha256, String mediaType) {}

    private final Path dir;
    private final Supplier<Optional<Ffmpeg>> ffmpeg;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scenario-sim-render");
        t.setDaemon(true);
        return t;
    });
    private final Map<Spec, CompletableFuture<Path>> started = new ConcurrentHashMap<>();
    private final Map<Key, Path> rendered = new ConcurrentHashMap<>();

    /** With the bundled ffmpeg, looked up on the first render (on the render thread, not at start-up). */
    Renderer(Path dir) {
        this(dir, Ffmpeg::bundled);
    }

    Renderer(Path dir, Supplier<Optional<Ffmpeg>> ffmpeg) {
        this.dir = dir;
        this.ffmpeg = ffmpeg;
    }

    /** The spec of the result of {@code input} over a video described by {@code source}. */
    static Spec specFor(JsonNode input, VideoInfo source, long minBytes, Path sourceFile, String mediaType) {
        int tier = Integer.parseInt(input.path("resolution").asText("720p").replace("p", ""));
        OutputGeometry geometry = OutputGeometry.of(source.width(), source.height(),
                input.path("expandLeft").asBoolean(true), input.path("expandRight").asBoolean(true),
                input.path("expandTop").asBoolean(true), input.path("expandBottom").asBoolean(true),
                input.path("expandRatio").asDouble(0.25), tier, input.path("aspectRatio").asText("auto"));
        boolean frameForFrame = input.path("matchInputNumFrames").asBoolean(false);
        int frames = frameForFrame ? source.frames() : input.path("numFrames").asInt(81);
        int fps = input.path("matchInputFramesPerSecond").asBoolean(false)
                ? (int) Math.max(1, Math.round(source.framesPerSecond())) : input.path("framesPerSecond").asInt(16);
        // no seed: the same look for the same input (Scenario would pick a random seed), so renders can be shared
        return new Spec(geometry, frames, fps, frameForFrame, input.path("seed").asLong(0), minBytes, sourceFile, mediaType);
    }

    /** Starts rendering in the background, so a job's result is ready (or nearly) by the time the job is due. */
    CompletableFuture<Path> start(Spec spec) {
        CompletableFuture<Path> render = started.computeIfAbsent(spec,
                s -> CompletableFuture.supplyAsync(() -> renderNow(s), worker));
        // a failed render is tried again by the next caller rather than failing every job of this spec
        render.whenComplete((file, failure) -> {
            if (failure != null) {
                started.remove(spec, render);
            }
        });
        return render;
    }

    /** A file holding the rendered result, waiting for the render if it still runs; callers must not change it. */
    Path render(Spec spec) {
        try {
            return start(spec).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The rendered result if it is ready within {@code wait}; empty while it still renders. */
    Optional<Path> renderWithin(Spec spec, Duration wait) {
        try {
            return Optional.of(start(spec).get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        // interrupts a running render, whose ffmpeg is then killed
        worker.shutdownNow();
    }

    private Path renderNow(Spec spec) {
        Key key = new Key(spec.geometry(), spec.frames(), spec.fps(), spec.frameForFrame(), spec.seed(), spec.minBytes(),
                sha256(spec.source()), spec.mediaType());
        return rendered.computeIfAbsent(key, k -> draw(spec, k.sourceSha256()));
    }

    private Path draw(Spec s, String sourceSha256) {
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
                return file;
            }
            Optional<Ffmpeg> tools = ffmpeg.get();
            if (tools.isPresent()) {
                RenderPlan plan = new RenderPlan(g.width(), g.height(), inset, s.frames(), s.fps(), s.frameForFrame(),
                        Tint.of(s.seed(), sourceSha256));
                long begun = System.nanoTime();
                try {
                    new FfmpegRenderer(tools.get()).render(s.source(), plan, file);
                    LOG.log(Level.INFO, () -> "rendered " + plan.frames() + " frames at " + plan.width() + "x" + plan.height()
                            + " from " + s.source().getFileName() + " in " + (System.nanoTime() - begun) / 1_000_000 + " ms");
                    return file;
                } catch (Ffmpeg.FfmpegException e) {
                    LOG.log(Level.WARNING, "ffmpeg could not render " + s.source().getFileName()
                            + "; the result is one still frame instead: " + e.getMessage());
                    Files.write(file, new byte[0]);
                }
            }
            Optional<Picture> frame = "video/webm".equals(s.mediaType())
                    ? WebmVideo.firstFrame(s.source()) : Mp4Video.middleFrame(s.source());
            Picture picture = SimulatedFrame.compose(frame, g.sourceWidth(), g.sourceHeight(), g.width(), g.height(), inset);
            Mp4Video.write(file, picture, s.frames(), s.fps(), 0);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
