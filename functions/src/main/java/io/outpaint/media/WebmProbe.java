package io.outpaint.media;

import io.outpaint.media.VideoProbe.Container;
import io.outpaint.media.VideoProbe.Video;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The WebM half of {@link VideoProbe}: EBML elements, each [id: vint with marker][size: vint][data]. */
final class WebmProbe {

    private static final int SEGMENT = 0x18538067;
    private static final int DOC_TYPE = 0x4282;
    private static final int INFO = 0x1549A966;
    private static final int TIMECODE_SCALE = 0x2AD7B1;
    private static final int DURATION = 0x4489;
    private static final int TRACKS = 0x1654AE6B;
    private static final int TRACK_ENTRY = 0xAE;
    private static final int TRACK_TYPE = 0x83;
    private static final int DEFAULT_DURATION = 0x23E383;
    private static final int VIDEO = 0xE0;
    private static final int PIXEL_WIDTH = 0xB0;
    private static final int PIXEL_HEIGHT = 0xBA;
    private static final int CLUSTER = 0x1F43B675;

    private final VideoProbe probe;

    WebmProbe(VideoProbe probe) {
        this.probe = probe;
    }

    private record Element(int id, long dataStart, long dataSize) {
        long end() { return dataSize < 0 ? Long.MAX_VALUE : dataStart + dataSize; }
    }

    Video read() throws IOException {
        Element header = element(0);
        String docType = "";
        for (long pos = header.dataStart(); pos < header.end(); ) {
            Element child = element(pos);
            if (child.id() == DOC_TYPE) {
                docType = new String(array(child), StandardCharsets.US_ASCII).replace("\0", "");
            }
            pos = child.end();
        }
        if (!docType.equals("webm")) {
            throw probe.invalid("is a Matroska file of DocType '" + docType + "'; only WebM (and MP4) videos are accepted");
        }
        Element segment = element(header.end());
        if (segment.id() != SEGMENT) {
            throw probe.invalid("is not a valid WebM: no Segment after its header");
        }
        if (segment.dataSize() >= 0 && segment.end() > probe.size) {
            throw probe.invalid("is a truncated WebM: its Segment needs " + segment.end() + " bytes, the file has " + probe.size);
        }
        long scale = 1_000_000;
        double duration = 0;
        long[] dimensions = null;
        for (long pos = segment.dataStart(); pos < Math.min(probe.size, segment.end()) && dimensions == null; ) {
            Element child = element(pos);
            if (child.id() == CLUSTER) {
                break;
            }
            if (child.id() == INFO) {
                for (long p = child.dataStart(); p < child.end(); ) {
                    Element field = element(p);
                    if (field.id() == TIMECODE_SCALE) {
                        scale = unsigned(field);
                    } else if (field.id() == DURATION) {
                        ByteBuffer value = ByteBuffer.wrap(array(field));
                        duration = field.dataSize() == 4 ? value.getFloat() : value.getDouble();
                    }
                    p = field.end();
                }
            } else if (child.id() == TRACKS) {
                dimensions = webmVideoTrack(child);
            }
            pos = child.end();
        }
        if (dimensions == null) {
            throw probe.invalid("is a WebM without a video track");
        }
        double seconds = duration * scale / 1e9;
        double fps = dimensions[2] > 0 ? 1e9 / dimensions[2] : 0;
        return new Video(Container.WEBM, (int) dimensions[0], (int) dimensions[1], seconds, fps, fps > 0 ? Math.round(seconds * fps) : 0);
    }

    /** The video track's width, height and default frame duration in ns (0 when not stated). */
    private long[] webmVideoTrack(Element tracks) throws IOException {
        for (long pos = tracks.dataStart(); pos < tracks.end(); ) {
            Element entry = element(pos);
            if (entry.id() == TRACK_ENTRY) {
                long type = 0;
                long[] dimensions = {0, 0, 0};
                for (long p = entry.dataStart(); p < entry.end(); ) {
                    Element field = element(p);
                    if (field.id() == TRACK_TYPE) {
                        type = unsigned(field);
                    } else if (field.id() == DEFAULT_DURATION) {
                        dimensions[2] = unsigned(field);
                    } else if (field.id() == VIDEO) {
                        for (long v = field.dataStart(); v < field.end(); ) {
                            Element dim = element(v);
                            if (dim.id() == PIXEL_WIDTH) {
                                dimensions[0] = unsigned(dim);
                            } else if (dim.id() == PIXEL_HEIGHT) {
                                dimensions[1] = unsigned(dim);
                            }
                            v = dim.end();
                        }
                    }
                    p = field.end();
                }
                if (type == 1) {
                    return dimensions;
                }
            }
            pos = entry.end();
        }
        return null;
    }

    private Element element(long pos) throws IOException {
        if (pos >= probe.size) {
            throw probe.invalid("is a truncated WebM: it ends inside an element at byte " + pos);
        }
        ByteBuffer buf = probe.bytes(pos, Math.min(12, probe.size - pos));
        int first = buf.get(0) & 0xFF;
        int idLength = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || idLength > 4 || idLength > buf.limit()) {
            throw probe.invalid("is not a valid WebM: a damaged element at byte " + pos);
        }
        int id = 0;
        for (int i = 0; i < idLength; i++) {
            id = (id << 8) | (buf.get(i) & 0xFF);
        }
        int lead = buf.get(idLength) & 0xFF;
        int sizeLength = Integer.numberOfLeadingZeros(lead) - 23;
        if (lead == 0 || idLength + sizeLength > buf.limit()) {
            throw probe.invalid("is not a valid WebM: a damaged element size at byte " + pos);
        }
        long value = lead & (0xFF >> sizeLength);
        boolean unknown = value == (0xFF >> sizeLength);
        for (int i = 1; i < sizeLength; i++) {
            int b = buf.get(idLength + i) & 0xFF;
            unknown &= b == 0xFF;
            value = (value << 8) | b;
        }
        return new Element(id, pos + idLength + sizeLength, unknown ? -1 : value);
    }

    private long unsigned(Element element) throws IOException {
        long value = 0;
        for (byte b : array(element)) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    private byte[] array(Element element) throws IOException {
        if (element.dataSize() < 0 || element.dataSize() > 64 || element.end() > probe.size) {
            throw probe.invalid("is not a valid WebM: a damaged header field at byte " + element.dataStart());
        }
        ByteBuffer buf = probe.bytes(element.dataStart(), element.dataSize());
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }
}
