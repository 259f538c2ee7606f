package io.outpaint.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** An MP4's frame count from its index (moov/trak/mdia/minf/stbl/stsz), read box by box without the media data. */
final class FrameCount {

    private static final int EBML = 0x1A45DFA3;

    private final VideoProbe probe;

    FrameCount(VideoProbe probe) {
        this.probe = probe;
    }

    OptionalInt read() throws IOException {
        if (probe.size < 12 || probe.bytes(0, 4).getInt(0) == EBML) {
            return OptionalInt.empty(); // a WebM's headers state no frame count
        }
        long moov = child(0, probe.size, "moov");
        if (moov < 0) {
            return OptionalInt.empty();
        }
        for (long pos = body(moov); pos + 8 <= end(moov); pos = end(pos)) {
            if (type(pos).equals("trak")) {
                long mdia = child(body(pos), end(pos), "mdia");
                if (mdia >= 0 && isVideo(mdia)) {
                    long minf = child(body(mdia), end(mdia), "minf");
                    long stbl = minf < 0 ? -1 : child(body(minf), end(minf), "stbl");
                    return stbl < 0 ? OptionalInt.empty() : samples(stbl);
                }
            }
        }
        return OptionalInt.empty();
    }

    private boolean isVideo(long mdia) throws IOException {
        long hdlr = child(body(mdia), end(mdia), "hdlr");
        return hdlr >= 0 && end(hdlr) - hdlr >= 20 && fourCc(probe.bytes(hdlr + 16, 4)).equals("vide");
    }

    /** stsz: [version+flags][sample size][count]; stz2: [version+flags][reserved 3, field size 1][count]. */
    private OptionalInt samples(long stbl) throws IOException {
        for (String name : new String[] {"stsz", "stz2"}) {
            long box = child(body(stbl), end(stbl), name);
            if (box >= 0 && end(box) - box >= 20) {
                long count = Integer.toUnsignedLong(probe.bytes(box + 16, 4).getInt(0));
                return count > 0 && count <= Integer.MAX_VALUE ? OptionalInt.of((int) count) : OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    /** The position of the first box of {@code type} between {@code from} and {@code to}; -1 when none. */
    private long child(long from, long to, String type) throws IOException {
        for (long pos = from; pos + 8 <= to; ) {
            long next = end(pos);
            if (next <= pos || next > to) {
                throw probe.invalid("is not a valid MP4: a damaged box at byte " + pos);
            }
            if (type(pos).equals(type)) {
                return pos;
            }
            pos = next;
        }
        return -1;
    }

    private String type(long box) throws IOException {
        return fourCc(probe.bytes(box + 4, 4));
    }

    private long body(long box) throws IOException {
        return box + (Integer.toUnsignedLong(probe.bytes(box, 4).getInt(0)) == 1 ? 16 : 8);
    }

    private long end(long box) throws IOException {
        ByteBuffer header = probe.bytes(box, Math.min(16, probe.size - box));
        long size = Integer.toUnsignedLong(header.getInt(0));
        if (size == 1 && header.limit() >= 16) {
            size = header.getLong(8);
        } else if (size == 0) {
            size = probe.size - box;
        }
        return size < 8 ? box : box + size;
    }

    private static String fourCc(ByteBuffer buf) {
        byte[] chars = new byte[4];
        buf.get(0, chars);
        return new String(chars, StandardCharsets.ISO_8859_1);
    }
}
