package io.outpaint.local.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a result is saved, decided and checked before any job starts, and the save itself: into a
 * temporary file beside the target, checked against the size and sha256 the API reported, then
 * moved into place, so the target is either the whole result or untouched.
 */
record ResultFile(Path folder, Optional<String> name, boolean replace) {

    /** Results land here unless -o says otherwise; the README names it and .gitignore covers it. */
    static final Path DEFAULT_FOLDER = Path.of("outpaint-results");

    /**
     * The target for a command's {@code -o} as typed (null: the default folder), or the usage error
     * (exit 2) that says why it cannot be: checked before any job starts or any call is made.
     */
    static ResultFile forOption(picocli.CommandLine command, String requested, boolean force) {
        try {
            return prepare(requested, force);
        } catch (FileAlreadyExistsException e) {
            throw new picocli.CommandLine.ParameterException(command, e.getFile() + " exists; add --force to replace it");
        } catch (IOException e) {
            throw new picocli.CommandLine.ParameterException(command, "--output: " + e.getMessage());
        }
    }

    /**
     * The target for {@code -o} as typed (null: the default folder): a trailing separator means a
     * folder, existing or not, which a {@link Path} cannot say (it drops the separator). A file that
     * exists is refused ({@link FileAlreadyExistsException}) unless {@code replace}; in a folder,
     * a job's result replaces an earlier download of the same job.
     */
    static ResultFile prepare(String requested, boolean replace) throws IOException {
        if (requested == null) {
            return prepare((Path) null, replace);
        }
        boolean folder = requested.endsWith("/") || requested.endsWith(java.io.File.separator);
        try {
            return prepare(Path.of(requested), folder, replace);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException("not a path: " + e.getMessage(), e);
        }
    }

    /** The target for {@code -o} (null: the default folder); creates its folder or says why it cannot. */
    static ResultFile prepare(Path requested, boolean replace) throws IOException {
        return prepare(requested, false, replace);
    }

    private static ResultFile prepare(Path requested, boolean isFolder, boolean replace) throws IOException {
        Path folder;
        Optional<String> name;
        if (requested == null) {
            folder = DEFAULT_FOLDER;
            name = Optional.empty();
        } else if (isFolder || Files.isDirectory(requested)) {
            folder = requested;
            name = Optional.empty();
        } else {
            folder = requested.toAbsolutePath().getParent();
            name = Optional.of(requested.getFileName().toString());
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + folder + " (" + reason(e) + ")", e);
        }
        if (!Files.isWritable(folder)) {
            throw new IOException("cannot write into the folder " + folder);
        }
        Path target = name.map(folder::resolve).orElse(null);
        if (target != null && Files.exists(target) && !replace) {
            throw new FileAlreadyExistsException(target.toString());
        }
        if (target != null && Files.exists(target) && !Files.isWritable(target)) {
            throw new IOException("cannot replace " + target + " (not writable)");
        }
        return new ResultFile(folder, name, replace);
    }

    /** The file the result of {@code jobId} is saved as. */
    Path target(String jobId) {
        return folder.resolve(name.orElse("outpaint-" + jobId + ".mp4"));
    }

    /**
     * Downloads {@code url} to {@link #target}: the bytes must come to {@code bytes} with
     * {@code sha256} (either may be unknown: -1, empty) before the target is replaced.
     */
    Path save(HttpClient http, URI url, String jobId, long bytes, String sha256) throws IOException, InterruptedException {
        Path target = target(jobId);
        Path part = Files.createTempFile(folder, "." + target.getFileName() + "-", ".part");
        try {
            HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = sha256();
            long written;
            try (InputStream in = new DigestInputStream(answer.body(), digest); OutputStream out = Files.newOutputStream(part)) {
                if (answer.statusCode() != 200) {
                    throw new IOException("the result could not be downloaded (HTTP " + answer.statusCode() + ")");
                }
                written = in.transferTo(out);
            }
            String got = HexFormat.of().formatHex(digest.digest());
            if (bytes >= 0 && written != bytes) {
                throw new IOException("the download stopped at " + written + " of " + bytes + " bytes; " + target + " was not changed");
            }
            if (sha256 != null && !sha256.isEmpty() && !got.equalsIgnoreCase(sha256)) {
                throw new IOException("the download's sha256 " + got + " is not the result's " + sha256 + "; " + target + " was not changed");
            }
            readableByAll(part);
            if (name.isPresent() && !replace) {
                // a file that appeared since -o was checked is not replaced either (an atomic rename would)
                Files.move(part, target);
                return target;
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Temporary files are private to their owner; a saved result is an ordinary file (rw-r--r--). */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name is in the way"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    }
}
