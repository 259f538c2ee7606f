package io.outpaint.media.finish;

/**
 * FFmpeg could not finish a clip: the message names the step and ends with the program's last
 * stderr lines (FFmpeg prints file names and filter settings there, never credentials).
 */
public final class FinishFailedException extends RuntimeException {

    public FinishFailedException(String message) {
        super(message);
    }

    public FinishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
