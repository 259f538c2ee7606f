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
 *
 * <p>Private to its user: its folders are made {@code rwx------}, so what the emulators write in
 * them is out of other users' reach whatever mode they give it, and what is found there is closed
 * again at each open. A folder whose table file or objects' folder is missing or damaged is
 * refused before anything starts, with one line naming the file and what to do
 * ({@link DamagedException}): once a runtime has started on it, {@value #KEPT} lists what it must
 * keep. An object whose files are gone or cut short is taken out of its bucket's listing, and
 * said ({@link #repairs()}).
 */
public final class DataDir implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    /** DynamoDB Local's one file ({@code -sharedDb}) under {@code dynamodb/}. */
    public static final String TABLE_FILE = "dynamodb/shared-local-instance.db";
    /** The list of what a started runtime left here: each entry must be found again. */
    static final String KEPT = "kept";
    private static final String S3 = "s3";
    private static final String TO_START_OVER = "or move the folder away to start over (its jobs are then forgotten)";

    /** Where the remains of objects taken out of a bucket's listing are moved. */
    static final String DAMAGED = "damaged";
    private final Path root;
    private final java.util.List<String> repairs = new java.util.ArrayList<>();
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
        createPrivateFolders(dir);
        if (Files.exists(dir.resolve(".lock")) || isEmpty(dir)) {
            // a data dir of this or an earlier run, or a new one: closed to other users (a folder that holds other things is left as it is)
            restrictFolder(dir);
        }
        FileChannel channel = posix() && !Files.exists(dir.resolve(".lock"))
                ? FileChannel.open(dir.resolve(".lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly())
                : FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
        DataDir opened = new DataDir(dir, channel, lock);
        try {
            opened.checkKept();
            opened.makeFolders();
            opened.restrictAll();
        } catch (IOException | RuntimeException e) {
            opened.unlock();
            throw e;
        }
        return opened;
    }

    /**
     * What is wrong with the state kept here, before anything starts on it: a key that is not a
     * file, a table file missing (while objects are kept, or after a runtime started here) or not
     * whole, the objects' folder missing after a runtime started here, or an object the bucket
     * lists whose file is gone.
     */
    private void checkKept() throws IOException {
        for (String name : SECRETS) {
            Path file = root.resolve(name);
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
                throw new DamagedException(file + " is " + (Files.isDirectory(file) ? "a folder" : "not a file")
                        + " where the runtime keeps its " + name.replace('-', ' ') + ": remove it (a new one is made),"
                        + " or put the " + name.replace('-', ' ') + " in a file there");
            }
        }
        java.util.List<String> kept = Files.isRegularFile(root.resolve(KEPT)) ? Files.readAllLines(root.resolve(KEPT)) : java.util.List.of();
        Path table = root.resolve(TABLE_FILE);
        java.util.List<Path> buckets = bucketsIn(root.resolve(S3));
        if (!Files.exists(table) && (kept.contains(TABLE_FILE) || !buckets.isEmpty())) {
            throw new DamagedException("the table file " + table + " is missing, though this data dir kept jobs"
                    + (buckets.isEmpty() ? "" : " (their videos are in " + buckets.get(0) + ")")
                    + ": put the file back from a copy, " + TO_START_OVER);
        }
        if (Files.exists(table)) {
            java.util.Optional<String> damage = SqliteFile.damage(table, kept.contains(TABLE_FILE));
            if (damage.isPresent()) {
                throw new DamagedException("the table file " + table + " is damaged (" + damage.get()
                        + "): put it back from a copy, " + TO_START_OVER);
            }
        }
        for (String entry : kept) {
            if (entry.startsWith(S3 + "/") && !Files.isDirectory(root.resolve(entry))) {
                throw new DamagedException("the objects' folder " + root.resolve(entry) + " is missing, though the table file lists"
                        + " jobs whose videos and results were there: put it back from a copy, " + TO_START_OVER);
            }
        }
        for (Path bucket : buckets) {
            java.util.Optional<String> unreadable = S3MockFolder.unreadable(bucket);
            if (unreadable.isPresent()) {
                throw new DamagedException(unreadable.get() + ": put it back from a copy, " + TO_START_OVER);
            }
            // an object cut short (a crash while it was written, a file removed by hand) is taken out of the
            // listing, so S3 answers it is not there: a job still running writes it again; what is left is kept aside
            java.util.List<S3MockFolder.Damage> lost = S3MockFolder.damaged(bucket);
            if (!lost.isEmpty()) {
                Path aside = root.resolve(DAMAGED).resolve(bucket.getFileName());
                S3MockFolder.drop(bucket, lost, aside);
                for (S3MockFolder.Damage damage : lost) {
                    repairs.add(damage.why() + "; it is no longer listed (S3 answers it does not exist)"
                            + (Files.exists(aside.resolve(damage.folder().getFileName())) ? ", what was left is in " + aside : ""));
                }
            }
        }
    }

    /** The buckets S3Mock keeps under {@code s3}: the folders with its bucket file. */
    private static java.util.List<Path> bucketsIn(Path s3) throws IOException {
        if (!Files.isDirectory(s3)) {
            return java.util.List.of();
        }
        try (var entries = Files.list(s3)) {
            return entries.filter(p -> Files.exists(p.resolve(S3MockFolder.BUCKET_FILE))).sorted().toList();
        }
    }

    /**
     * Records what a runtime keeps here now that it has started ({@code s3/<bucket>} and the table
     * file): from the next open on, each must be found again.
     */
    public void recordKept(String bucket) throws IOException {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (String entry : java.util.List.of(TABLE_FILE, S3 + "/" + bucket)) {
            if (Files.exists(root.resolve(entry))) {
                kept.add(entry);
            }
        }
        Path tmp = posix() ? Files.createTempFile(root, KEPT, ".tmp", ownerOnly()) : Files.createTempFile(root, KEPT, ".tmp");
        Files.write(tmp, kept);
        Files.move(tmp, root.resolve(KEPT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The folders the emulators write in made (owner only); a new table file is made owner-only
     * before DynamoDB Local opens it, so its journal gets the same mode.
     */
    private void makeFolders() throws IOException {
        createPrivateFolders(root.resolve("dynamodb"));
        createPrivateFolders(root.resolve(S3));
        Path table = root.resolve(TABLE_FILE);
        if (posix() && !Files.exists(table)) {
            Files.createFile(table, ownerOnly()); // an empty file is an empty database to SQLite
        }
    }

    /** Everything here closed to other users: files {@code rw-------}, folders {@code rwx------}. */
    private void restrictAll() throws IOException {
        if (!posix()) {
            return;
        }
        for (String entry : OWN_ENTRIES) {
            if (Files.exists(root.resolve(entry), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                restrictTree(root.resolve(entry));
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void restrictTree(Path top) throws IOException {
        try (var all = Files.walk(top)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    restrictFolder(p);
                } else {
                    restrict(p);
                }
            }
        }
    }

    /** Makes {@code dir} and its missing parents; those made here are owner-only. */
    private static void createPrivateFolders(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent)) {
            createPrivateFolders(parent);
        }
        if (posix()) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER)); // the umask may take more away, not add
            restrictFolder(dir);
        } else {
            Files.createDirectory(dir);
        }
    }

    private static void restrictFolder(Path dir) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_FOLDER)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_FOLDER);
        }
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

    /** What this open repaired in the folder, one line each for people (empty when nothing). */
    public java.util.List<String> repairs() {
        return java.util.List.copyOf(repairs);
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

    /** The keys this folder keeps for the runtime. */
    private static final java.util.List<String> SECRETS = java.util.List.of("api-key", "webhook-secret");
    /** What the runtime keeps here: closed to other users (anything else in the folder is left as it is). */
    private static final java.util.List<String> OWN_ENTRIES = java.util.List.of(".lock", "api-key", "webhook-secret", KEPT, "dynamodb",
            S3, DAMAGED, LocalCloud.S3_EVENTS_JOURNAL);

    /** The folder's state is missing or damaged: the one line says which file, and what to do. */
    public static final class DamagedException extends IOException {
        DamagedException(String message) {
            super(message);
        }

        DamagedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Another runtime holds the folder. */
    public static final class InUseException extends IOException {
        InUseException(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            restrictAll(); // what the emulators wrote with their own modes (S3Mock's folders) is closed as they stop
        } catch (IOException e) {
            System.err.println("while closing " + root + " to other users: " + e.getMessage());
        }
        unlock();
    }

    private void unlock() throws IOException {
        lock.release();
        lockFile.close();
    }
}
