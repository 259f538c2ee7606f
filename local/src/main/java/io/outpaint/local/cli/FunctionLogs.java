package io.outpaint.local.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Sends what the functions and emulators print to a file, as Lambda sends logs to CloudWatch, so
 * the terminal shows only the CLI's lines; the file is kept and named only when it may help. It is
 * made on the first line written: a command refused before anything logged leaves no file behind.
 */
final class FunctionLogs implements AutoCloseable {

    private final Path file;
    private final LazyFile sink;
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    private FunctionLogs(Path file) {
        this.file = file;
        this.sink = new LazyFile(file);
    }

    /** A temporary log file named for {@code command}, made on first write; System.out and System.err go there until {@link #close}. */
    static FunctionLogs toTempFile(String command) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "outpaint-" + command + "-" + HexFormat.of().formatHex(random) + ".log");
        FunctionLogs logs = new FunctionLogs(file);
        PrintStream log = new PrintStream(logs.sink, true);
        System.setOut(log);
        System.setErr(log);
        return logs;
    }

    /** Where the log is, or will be once something is written. */
    Path file() {
        return file;
    }

    /** Whether anything was logged: the file exists and holds it. */
    boolean hasLines() {
        try {
            System.out.flush();
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Restores the terminal; a successful run's log is deleted, a failed one's is named when it holds anything. */
    void close(boolean succeeded, PrintStream out) {
        PrintStream log = System.out;
        System.setOut(stdout);
        System.setErr(stderr);
        if (log != stdout) {
            log.close();
        }
        boolean kept = !succeeded && hasLines();
        if (!kept) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left in the temp folder
            }
        } else {
            out.println("  the functions' logs: " + file);
        }
    }

    @Override
    public void close() {
        close(true, stdout);
    }

    /** A file made (owner-only where the file system says so) on the first byte written to it. */
    private static final class LazyFile extends OutputStream {
        private final Path file;
        private OutputStream out;

        LazyFile(Path file) {
            this.file = file;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                // private to its owner, as a temporary file is
                if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
                out = Files.newOutputStream(file, StandardOpenOption.WRITE);
            }
            return out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out().write(b, off, len);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (out != null) {
                out.flush();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (out != null) {
                out.close();
            }
        }
    }
}
