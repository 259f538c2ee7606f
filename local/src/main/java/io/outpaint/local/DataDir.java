package io.outpaint.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The folder a durable local runtime keeps its state in: DynamoDB Local's tables
 * ({@code dynamodb/}), S3Mock's objects ({@code s3/}) and its own keys (owner-only files). Held
 * by one runtime at a time, through a lock the operating system drops if the process dies.
 */
public final class DataDir implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final FileChannel lockFile;
    private final FileLock lock;

    private DataDir(Path root, FileChannel lockFile, FileLock lock) {
        this.root = root;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Opens (creating) {@code root} for this process alone. */
    public static DataDir open(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new InUseException("another outpaint runtime is using " + dir + "; stop it, or choose another --data-dir");
        }
        return new DataDir(dir, channel, lock);
    }

    /**
     * Why {@code dir} cannot be a data dir, as the one line a user sees before anything starts
     * (empty when it can be one): a file where the folder would be, or a missing folder whose
     * nearest existing parent cannot take it.
     */
    public static java.util.Optional<String> refusal(Path dir) {
        return problemWith(dir.toAbsolutePath().normalize())
                .map(why -> "--data-dir " + dir + " is not allowed (" + why + "); allowed: a folder, made if missing");
    }

    private static java.util.Optional<String> problemWith(Path at) {
        if (Files.exists(at)) {
            if (!Files.isDirectory(at)) {
                return java.util.Optional.of("it is a file, not a folder");
            }
            return Files.isWritable(at) ? java.util.Optional.empty() : java.util.Optional.of("this user cannot write in it");
        }
        Path parent = at.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            return java.util.Optional.of("it cannot be made: " + (parent == null ? "no parent folder exists" : parent + " is a file"));
        }
        return Files.isWritable(parent) ? java.util.Optional.empty()
                : java.util.Optional.of("it cannot be made: this user cannot write in " + parent);
    }

    /** The folder a checkout keeps {@code run}'s state in, at its root (git-ignored). */
    public static final String CHECKOUT_FOLDER = ".outpaint-local";

    /**
     * Where {@code run} keeps its state unless told: the checkout's own {@value #CHECKOUT_FOLDER} when the CLI
     * is a checkout's build (its jar or classes under a folder holding the {@code outpaint} launcher and
     * {@code local/pom.xml}), so that two checkouts never share one; else {@code ~/.outpaint/local}; else the
     * working directory's {@value #CHECKOUT_FOLDER}.
     */
    public static Path defaultLocation() {
        Optional<Path> code;
        try {
            code = Optional.of(Path.of(DataDir.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            code = Optional.empty(); // no location to go by: the home folder's
        }
        return defaultLocation(code, System.getProperty("user.home"));
    }

    static Path defaultLocation(Optional<Path> code, String home) {
        Optional<Path> checkout = code.flatMap(DataDir::checkoutOf).filter(Files::isWritable);
        if (checkout.isPresent()) {
            return checkout.get().resolve(CHECKOUT_FOLDER);
        }
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home)) && Files.isWritable(Path.of(home))) {
            return Path.of(home, ".outpaint", "local");
        }
        return Path.of(CHECKOUT_FOLDER).toAbsolutePath();
    }

    /** The checkout {@code code} (a jar or a classes folder) was built in: the nearest folder above it with the launcher and local/pom.xml. */
    static Optional<Path> checkoutOf(Path code) {
        for (Path at = code.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("outpaint")) && Files.isRegularFile(at.resolve("local").resolve("pom.xml"))) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    public Path root() {
        return root;
    }

    /** A secret kept in this folder (owner read and write only), made on first use. */
    public String secret(String name, String prefix) throws IOException {
        Path file = root.resolve(name);
        if (Files.exists(file)) {
            restrict(file);
            String kept = Files.readString(file).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String value = prefix + HexFormat.of().formatHex(random);
        Path tmp = posix() ? Files.createTempFile(root, name, ".tmp", ownerOnly()) : Files.createTempFile(root, name, ".tmp");
        Files.writeString(tmp, value + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return value;
    }

    private static void restrict(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    /** Another runtime holds the folder. */
    public static final class InUseException extends IOException {
        InUseException(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockFile.close();
    }
}
