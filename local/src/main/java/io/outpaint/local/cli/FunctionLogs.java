package io.outpaint.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends what the functions and emulators print to a file, as Lambda sends logs to CloudWatch, so
 * the terminal shows only the CLI's lines; the file is kept and named only when it may help.
 */
final class FunctionLogs implements AutoCloseable {

    private final Path file;
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    private FunctionLogs(Path file) {
        this.file = file;
    }

    /** A fresh temporary log file named for {@code command}; System.out and System.err go there until {@link #close}. */
    static FunctionLogs toTempFile(String command) throws IOException {
        return to(Files.createTempFile("outpaint-" + command + "-", ".log"));
    }

    /** {@code file}, replaced; System.out and System.err go there until {@link #close}. */
    static FunctionLogs to(Path file) throws IOException {
        PrintStream log = new PrintStream(new FileOutputStream(file.toFile()), true);
        System.setOut(log);
        System.setErr(log);
        return new FunctionLogs(file);
    }

    Path file() {
        return file;
    }

    /** Restores the terminal; a successful run's log is deleted, a failed one's is named. */
    void close(boolean succeeded, PrintStream out) {
        PrintStream log = System.out;
        System.setOut(stdout);
        System.setErr(stderr);
        if (log != stdout) {
            log.close();
        }
        if (succeeded) {
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
}
