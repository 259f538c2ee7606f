package io.outpaint.media;

/** A copy broke for a reason other than Scenario's answers (S3, the network): worth a retry. */
@io.outpaint.job.FailureCode("COPY_FAILED")
public final class CopyFailedException extends RuntimeException {
    public CopyFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
