package io.outpaint.local.cli;

import java.io.PrintStream;

/** A progress bar on a terminal; one line per change elsewhere (CI, pipes). */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String lastLine = "";

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(String status, double progress) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, progress)) * WIDTH);
        String line = String.format("[%s%s] %3d%%  %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                Math.round(progress * 100), status);
        if (line.equals(lastLine)) {
            return;
        }
        if (terminal) {
            out.print("\r" + line + "   ");
            out.flush();
        } else {
            out.println(line);
        }
        lastLine = line;
    }

    void done() {
        if (terminal) {
            out.println();
        }
    }
}
