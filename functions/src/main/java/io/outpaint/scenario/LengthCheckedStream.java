package io.outpaint.scenario;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails when a body ends before its declared length. {@link java.net.HttpURLConnection} reports a
 * connection dropped mid-body as a normal end of stream; this turns it into the error it is.
 */
final class LengthCheckedStream extends FilterInputStream {

    private final long expected;
    private long read;

    LengthCheckedStream(InputStream in, long expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        return check(b < 0 ? -1 : 1) < 0 ? -1 : b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return check(super.read(buffer, offset, length));
    }

    private int check(int n) throws IOException {
        if (n < 0) {
            if (expected >= 0 && read < expected) {
                throw new EOFException("connection closed after " + read + " of " + expected + " bytes");
            }
            return n;
        }
        read += n;
        return n;
    }
}
