package io.outpaint.local.testing;

/** Thrown by {@link FlakyHandler} when a failure is permanent: no Retry names it, a Catch does. */
public class BrokenTestException extends RuntimeException {
    public BrokenTestException(String message) {
        super(message);
    }
}
