package io.outpaint.simulator.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ffmpeg} and {@code ffprobe} programs that bytedeco's FFmpeg presets (LGPL build) bundle, run as child
 * processes: a crash or a hang stays out of the JVM, and every run has a timeout.
 */
public final class Ffmpeg {

    private static final System.Logger LOG = System.getLogger(Ffmpeg.class.getName());
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Libraries the presets extract under their link-time name ({@code libva.so}) while the programs ask for their
     * soname: the JVM preloads them by path, a child process must find them by soname.
     */
    private static final Map<String, String> SONAMES = Map.of("libva.so", "libva.so.2", "libva-drm.so", "libva-drm.so.2");

    private final Path ffmpeg;
    private final Path ffprobe;
    private final String libraryPath;

    private Ffmpeg(Path ffmpeg, Path ffprobe, String libraryPath) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.libraryPath = libraryPath;
    }

    /** The bundled programs, extracted and checked once per JVM; empty (with the reason logged) where they cannot run. */
    public static Optional<Ffmpeg> bundled() {
        return Bundled.INSTANCE;
    }

    /** Runs {@code ffmpeg} with {@code args}; its standard output, or an exception with the tail of its standard error. */
    public byte[] ffmpeg(Duration timeout, List<String> args) throws IOException {
        return run(ffmpeg, args, timeout);
    }

    /** Runs {@code ffprobe} with {@code args}; its standard output as text. */
    public String ffprobe(Duration timeout, List<String> args) throws IOException {
        return new String(run(ffprobe, args, timeout), StandardCharsets.UTF_8);
    }

    private byte[] run(Path program, List<String> args, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.add("-hide_banner");
        if (program.equals(ffmpeg)) {
            command.add("-nostdin");
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        String inherited = System.getenv("LD_LIBRARY_PATH");
        builder.environment().put("LD_LIBRARY_PATH", inherited == null ? libraryPath : libraryPath + ":" + inherited);
        Process process = builder.start();
        process.getOutputStream().close();
        // both pipes drained at once, so a chatty stderr cannot stall a process writing to stdout
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new FfmpegException(program.getFileName() + " ran longer than " + timeout.toSeconds() + " s", -1, tail(err));
            }
            if (process.exitValue() != 0) {
                throw new FfmpegException(program.getFileName() + " exited with " + process.exitValue(), process.exitValue(), tail(err));
            }
            return out.get();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + program.getFileName() + " ran", e);
        } catch (ExecutionException e) {
            throw new IOException("could not read " + program.getFileName() + "'s output", e.getCause());
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String tail(CompletableFuture<byte[]> err) {
        try {
            String text = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (Exception e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** A failed or timed-out run; {@code stderr} holds the end of what the program said. */
    public static final class FfmpegException extends IOException {
        private final int exitCode;
        private final String stderr;

        FfmpegException(String message, int exitCode, String stderr) {
            super(message + ": " + stderr);
            this.exitCode = exitCode;
            this.stderr = stderr;
        }

        public int exitCode() { return exitCode; }
        public String stderr() { return stderr; }
    }

    /** Holder: extraction (about half a second) happens on first use, not when the simulator class loads. */
    private static final class Bundled {
        static final Optional<Ffmpeg> INSTANCE = locate();

        private static Optional<Ffmpeg> locate() {
            try {
                Path ffmpeg = Path.of(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
                Path ffprobe = Path.of(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffprobe.class));
                Path links = sonameLinks(ffmpeg.getParent());
                Ffmpeg tools = new Ffmpeg(ffmpeg, ffprobe, links + ":" + ffmpeg.getParent());
                tools.ffmpeg(CHECK_TIMEOUT, List.of("-version"));
                return Optional.of(tools);
            } catch (IOException | RuntimeException | LinkageError e) {
                // e.g. libpulse.so.0 missing: the presets' libavdevice links the system's PulseAudio client
                LOG.log(Level.WARNING, "the bundled FFmpeg cannot run here; simulated results fall back to one still frame: " + e);
                return Optional.empty();
            }
        }

        /** A private directory of soname links to the extracted libraries, for the child processes' library path. */
        private static Path sonameLinks(Path libraries) throws IOException {
            Path dir = Files.createTempDirectory("ffmpeg-sonames-");
            dir.toFile().deleteOnExit();
            for (Map.Entry<String, String> entry : SONAMES.entrySet()) {
                Path target = libraries.resolve(entry.getKey());
                if (Files.exists(target) && !Files.exists(libraries.resolve(entry.getValue()))) {
                    Path link = Files.createSymbolicLink(dir.resolve(entry.getValue()), target);
                    link.toFile().deleteOnExit();
                }
            }
            return dir;
        }
    }
}
