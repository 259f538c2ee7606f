package io.outpaint.request;

import java.util.Optional;

/**
 * Whether bytes are UTF-8 as RFC 3629 defines it, and nothing else: no overlong forms (C0 80 for
 * NUL, E0 80 AF for '/'), no UTF-16 surrogates (CESU-8), nothing above U+10FFFF, no sequence cut
 * short, and no NUL byte (JSON text has none; it is what UTF-16 and UTF-32 look like as bytes).
 * A JSON parser that guesses the encoding would read UTF-16 and decode overlong forms; these are
 * refused before it sees them.
 */
public final class StrictUtf8 {

    private StrictUtf8() {}

    /** The first problem, with its byte offset; empty for well-formed UTF-8. */
    public static Optional<String> problem(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff
                || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
            return Optional.of("it starts with a UTF-16 byte-order mark; send UTF-8");
        }
        for (int i = 0; i < bytes.length; ) {
            int b = bytes[i] & 0xff;
            if (b == 0) {
                return Optional.of("a NUL byte at byte " + i + " (UTF-16 or UTF-32 text looks like this); send UTF-8");
            }
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                min = 0x800;
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                min = 0x10000;
            } else if (b == 0xc0 || b == 0xc1) {
                return Optional.of("an overlong form at byte " + i + " (0x" + Integer.toHexString(b) + ": a character encoded in more bytes than UTF-8 allows)");
            } else if (b < 0xc0) {
                return Optional.of("a continuation byte with no lead byte at byte " + i);
            } else {
                return Optional.of("byte 0x" + Integer.toHexString(b) + " at byte " + i + ", which UTF-8 never uses");
            }
            if (i + length > bytes.length) {
                return Optional.of("a character cut short at byte " + i);
            }
            int code = b & (0xff >> (length + 1));
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xff;
                if ((next & 0xc0) != 0x80) {
                    return Optional.of("a character cut short at byte " + i);
                }
                code = code << 6 | (next & 0x3f);
            }
            if (code < min) {
                return Optional.of("an overlong form at byte " + i + " (U+" + String.format("%04X", code)
                        + " encoded in " + length + " bytes, more than UTF-8 allows)");
            }
            if (code >= 0xd800 && code <= 0xdfff) {
                return Optional.of("a UTF-16 surrogate encoded as UTF-8 (CESU-8) at byte " + i);
            }
            if (code > 0x10ffff) {
                return Optional.of("a code point above U+10FFFF at byte " + i);
            }
            i += length;
        }
        return Optional.empty();
    }
}
