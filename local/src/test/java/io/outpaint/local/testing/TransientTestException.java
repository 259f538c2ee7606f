package io.outpaint.local.testing;

/** Thrown by {@link FlakyHandler} on the attempts a Retry should absorb. */
public class TransientTestException extends RuntimeException {
    public TransientTestException(String message) {
        super(message);
    }
}
