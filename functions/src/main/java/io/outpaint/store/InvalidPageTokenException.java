package io.outpaint.store;

/** A page token that this store did not hand out for this list. */
public final class InvalidPageTokenException extends IllegalArgumentException {
    public InvalidPageTokenException() {
        super("nextToken is not a token this API handed out");
    }
}
