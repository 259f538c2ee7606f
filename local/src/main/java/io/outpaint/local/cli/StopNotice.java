package io.outpaint.local.cli;

import java.util.function.Supplier;

/**
 * The line a command that follows a job prints when Ctrl-C or a kill (SIGINT, SIGTERM) stops it
 * there: that the job is not lost, how to follow it again and where its log is. A shutdown hook,
 * removed when the command ends by itself, so that it speaks only for a stop.
 */
final class StopNotice implements AutoCloseable {

    private final Thread hook;
    private volatile Supplier<String> message;

    /** From now until {@link #close}, a stop prints {@code outpaint <command>: stopped; <message>}. */
    StopNotice(String command, Supplier<String> message) {
        this.message = message;
        this.hook = new Thread(() -> {
            String text = this.message.get();
            if (text != null) {
                Outpaint.err.println();
                Outpaint.err.println("outpaint " + command + ": stopped; " + text);
                Outpaint.err.flush();
            }
        }, "outpaint-stop-notice");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What a stop says from now on (the job is known, its log has lines); null says nothing. */
    void say(Supplier<String> value) {
        message = value;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the JVM is stopping: the hook speaks
        }
    }
}
