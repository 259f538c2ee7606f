package io.outpaint.local.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the CLI prints ({@link Outpaint#out}, {@link Outpaint#err}) kept for a test's assertions, and put back after it. */
final class CapturedConsole implements BeforeEachCallback, AfterEachCallback {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        savedOut = Outpaint.out;
        savedErr = Outpaint.err;
        Outpaint.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        Outpaint.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Outpaint.out = savedOut;
        Outpaint.err = savedErr;
    }

    String out() { return out.toString(StandardCharsets.UTF_8); }

    String err() { return err.toString(StandardCharsets.UTF_8); }
}
