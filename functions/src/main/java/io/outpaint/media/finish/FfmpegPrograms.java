package io.outpaint.media.finish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code ffmpeg} and {@code ffprobe} programs bundled in bytedeco's FFmpeg jar, extracted by
 * JavaCPP into its cache, with the environment they need to start.
 *
 * <p>bytedeco's libavdevice links PulseAudio, ALSA and XCB, which neither Lambda's image nor these
 * build machines have: finishing never opens a device, so empty stand-ins with the same names and
 * symbol versions (built from {@code src/main/native/device-stubs}) are loaded first, into this JVM
 * for JavaCPP and through {@code LD_LIBRARY_PATH} for the programs.
 */
public record FfmpegPrograms(Path ffmpeg, Path ffprobe, Map<String, String> environment) {

    static final List<String> DEVICE_STUBS =
            List.of("libpulse.so.0", "libasound.so.2", "libxcb.so.1", "libxcb-shm.so.0");
    /** Shipped without their soname's suffix: JavaCPP loads them by path, a program needs the soname. */
    private static final Map<String, String> UNVERSIONED =
            Map.of("libva.so.2", "libva.so", "libva-drm.so.2", "libva-drm.so");
    private static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private static FfmpegPrograms located;

    public FfmpegPrograms {
        Objects.requireNonNull(ffmpeg, "ffmpeg");
        Objects.requireNonNull(ffprobe, "ffprobe");
        environment = Map.copyOf(environment);
    }

    /** Extracts the programs once per JVM (a Lambda init, a test run) and answers the same paths after. */
    public static synchronized FfmpegPrograms locate() {
        if (located == null) {
            located = extract();
        }
        return located;
    }

    private static FfmpegPrograms extract() {
        try {
            useWritableCacheDir();
            Path stubs = writeDeviceStubs();
            for (String stub : DEVICE_STUBS) {
                System.load(stubs.resolve(stub).toString());
            }
            Path ffmpeg = Path.of(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
            Path ffprobe = Path.of(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffprobe.class));
            linkUnversionedLibraries(ffmpeg.getParent(), stubs);
            String libraryPath = stubs + ":" + ffmpeg.getParent();
            return new FfmpegPrograms(ffmpeg, ffprobe, Map.of("LD_LIBRARY_PATH", libraryPath));
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("FFmpeg could not be prepared: " + e.getMessage(), e);
        }
    }

    /** On Lambda only /tmp is writable: JavaCPP's default cache under the home directory is not. */
    private static void useWritableCacheDir() {
        cacheDirOverride(System.getProperty(CACHE_DIR_PROPERTY), Path.of(System.getProperty("user.home", "/")),
                Path.of(System.getProperty("java.io.tmpdir")))
                .ifPresent(dir -> System.setProperty(CACHE_DIR_PROPERTY, dir.toString()));
    }

    /** The cache dir to set, if any: none when one is set already or the home directory can take it. */
    static java.util.Optional<Path> cacheDirOverride(String configured, Path home, Path tmp) {
        if (configured != null) {
            return java.util.Optional.empty();
        }
        Path javacpp = home.resolve(".javacpp");
        boolean writable = Files.isDirectory(javacpp) ? Files.isWritable(javacpp) : Files.isWritable(home);
        return writable ? java.util.Optional.empty() : java.util.Optional.of(tmp.resolve("javacpp-cache"));
    }

    private static void linkUnversionedLibraries(Path libraries, Path into) throws IOException {
        for (Map.Entry<String, String> e : UNVERSIONED.entrySet()) {
            // made aside and renamed over: another JVM (a parallel test fork, a second serve) may link the same names
            Path link = into.resolve(e.getKey());
            Path made = into.resolve(e.getKey() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId() + ".link");
            Files.deleteIfExists(made);
            Files.createSymbolicLink(made, libraries.resolve(e.getValue()));
            Files.move(made, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static Path writeDeviceStubs() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "outpaint-ffmpeg-stubs");
        Files.createDirectories(dir);
        for (String stub : DEVICE_STUBS) {
            String resource = "stubs/linux-x86_64/" + stub;
            try (InputStream in = FfmpegPrograms.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("missing resource " + resource);
                }
                Path tmp = Files.createTempFile(dir, stub, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(stub), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return dir;
    }
}
