package io.outpaint.local.cli;

/** A command could not do its work; the message is the one line the user sees (exit 1). */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
        super(message);
    }
}
