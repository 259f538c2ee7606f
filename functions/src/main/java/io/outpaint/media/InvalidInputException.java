package io.outpaint.media;

/** The input video cannot be used: wrong place, wrong type, empty or too big. Not worth retrying. */
@io.outpaint.job.FailureCode("INVALID_INPUT")
public final class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
