package io.outpaint.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a video file is, read from its container rather than its name: an MP4 (ISO BMFF:
 * {@code ftyp}, a {@code moov} index with a video track, every top-level box whole) or a WebM
 * (EBML header with DocType {@code webm}, a Segment that is whole, a video track). Reads only the
 * headers, so a multi-gigabyte file is checked in milliseconds before anything is uploaded.
 */
public final class VideoProbe {

    /** The containers Scenario accepts, with their media type and usual file extension. */
    public enum Container {
        MP4("video/mp4", "mp4"), WEBM("video/webm", "webm");

        private final String mediaType;
        private final String extension;

        Container(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() { return mediaType; }
        public String extension() { return extension; }

        /** Every container's media type: the content types an input video may have. */
        public static java.util.Set<String> mediaTypes() {
            return java.util.Arrays.stream(values()).map(Container::mediaType).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }

        /** The container of a media type ({@code video/mp4}, {@code video/webm}), if it is one of them. */
        public static java.util.Optional<Container> ofMediaType(String type) {
            return java.util.Arrays.stream(values()).filter(c -> c.mediaType.equals(type)).findFirst();
        }

        /** Every container's extension, as a regular expression's alternatives ({@code mp4|webm}). */
        public static String extensionPattern() {
            return java.util.Arrays.stream(values()).map(Container::extension).collect(java.util.stream.Collectors.joining("|"));
        }
    }

    /**
     * What the probe found: the container, the first video track's frame size, its rate and frame count (each 0
     * when the headers do not state it: a fragmented MP4, a WebM without a default frame duration).
     */
    public record Video(Container container, int width, int height, double durationSeconds, double framesPerSecond, long frames) {

        /** Whether the rate and frame count are known, so that the clip can be planned in frames. */
        public boolean hasFrames() {
            return framesPerSecond > 0 && frames > 0;
        }
    }

    private static final int EBML = 0x1A45DFA3;
    /** A constant-rate video has one 'stts' entry; a variable one a few per second at most. */
    private static final long MAX_STTS_ENTRIES = 64 * 1024;

    /** Positioned reads from a video's bytes: a file's channel, or ranged GETs of an object in S3. */
    @FunctionalInterface
    public interface Reader {
        /** Reads into {@code dst} from {@code position}; the count read, or -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;
    }

    private final Reader in;
    final long size;
    private final String name;

    private VideoProbe(Reader in, long size, String name) {
        this.in = in;
        this.size = size;
        this.name = name;
    }

    /** The bytes {@link #containerOf} needs from the start of a file. */
    public static final int HEAD_BYTES = 12;

    /**
     * The container the first bytes of a file announce (an MP4 'ftyp' box, a WebM EBML header),
     * without reading further: the check made on an object in S3 before anything is sent to Scenario.
     */
    public static java.util.Optional<Container> containerOf(byte[] head) {
        if (head.length < HEAD_BYTES) {
            return java.util.Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(head);
        if (bytes.getInt(0) == EBML) {
            return java.util.Optional.of(Container.WEBM);
        }
        return fourCc(bytes, 4).equals("ftyp") ? java.util.Optional.of(Container.MP4) : java.util.Optional.empty();
    }

    /** Probes {@code file}; an {@link InvalidInputException} says what is wrong with it, in a line. */
    public static Video probe(Path file) {
        try (FileChannel in = FileChannel.open(file)) {
            return new VideoProbe(in::read, in.size(), file.getFileName().toString()).read();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The number of frames of an MP4's first video track, from its sample table's {@code stsz} (or
     * {@code stz2}) count; empty for a WebM (whose headers do not count frames) or an MP4 without one.
     */
    public static java.util.OptionalInt frames(Reader in, long size, String name) {
        try {
            return new FrameCount(new VideoProbe(in, size, name)).read();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + name, e);
        }
    }

    /** {@link #frames(Reader, long, String)} of a file. */
    public static java.util.OptionalInt frames(Path file) {
        try (FileChannel in = FileChannel.open(file)) {
            return frames(in::read, in.size(), file.getFileName().toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Probes {@code size} bytes read through {@code in}, named {@code name} in what it says. */
    public static Video probe(Reader in, long size, String name) {
        try {
            return new VideoProbe(in, size, name).read();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + name, e);
        }
    }

    private Video read() throws IOException {
        if (size < 12) {
            throw invalid("is " + size + " bytes, too short to be a video");
        }
        ByteBuffer head = bytes(0, 12);
        if (head.getInt(0) == EBML) {
            return new WebmProbe(this).read();
        }
        if (fourCc(head, 4).equals("ftyp")) {
            return mp4();
        }
        throw invalid("is not an MP4 or WebM video (its first bytes are neither an MP4 'ftyp' box nor a WebM header)");
    }

    // --- MP4: a sequence of boxes, each [size:4][type:4] or [1][type][largesize:8]

    private Video mp4() throws IOException {
        long pos = 0;
        long moov = -1;
        long moovEnd = -1;
        java.util.List<long[]> fragments = new java.util.ArrayList<>();
        while (pos < size) {
            if (size - pos < 8) {
                throw invalid("is a truncated MP4: " + (size - pos) + " stray bytes at its end");
            }
            ByteBuffer header = bytes(pos, Math.min(16, size - pos));
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            int headerSize = 8;
            if (boxSize == 1 && header.limit() >= 16) {
                boxSize = header.getLong(8);
                headerSize = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (boxSize < headerSize) {
                throw invalid("is not a valid MP4: box '" + type + "' at byte " + pos + " has size " + boxSize);
            }
            if (pos + boxSize > size) {
                throw invalid("is a truncated MP4: its '" + type + "' box needs " + boxSize + " bytes from byte " + pos
                        + ", the file ends at " + size);
            }
            if (type.equals("moov")) {
                moov = pos + headerSize;
                moovEnd = pos + boxSize;
            } else if (type.equals("moof")) {
                fragments.add(new long[] {pos + headerSize, pos + boxSize});
            }
            pos += boxSize;
        }
        if (moov < 0) {
            throw invalid("is an MP4 without its 'moov' index (an unfinished recording?)");
        }
        Video video = mp4Tracks(moov, moovEnd);
        if (video.hasFrames() || fragments.isEmpty()) {
            return video;
        }
        // a fragmented MP4 (its index empty, its samples listed fragment by fragment): counted from each fragment's 'trun'
        long[] counted = {0, 0};
        java.util.Map<Long, Long> durations = new java.util.HashMap<>();
        for (long[] moof : fragments) {
            fragment(moof[0], moof[1], videoTrackId, counted, durations);
        }
        boolean timed = !durations.containsKey(-1L) && videoTimescale > 0;
        double seconds = timed ? (double) counted[1] / videoTimescale : 0;
        // the rate from the most common frame duration (a muxer may stretch the last frame to the audio's end)
        long frameDuration = durations.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(0L);
        double fps = timed && frameDuration > 0 && counted[0] > 0 ? (double) videoTimescale / frameDuration : 0;
        return new Video(Container.MP4, video.width(), video.height(), seconds > 0 ? seconds : video.durationSeconds(), fps,
                fps > 0 ? counted[0] : 0);
    }

    private long videoTrackId = -1;
    private long videoTimescale;

    /**
     * Adds a 'moof' box's samples of track {@code trackId} to {@code counted} (samples, then their duration in the track's
     * timescale) and to {@code durations} (samples by duration; -1 for samples whose fragment states no duration).
     */
    private void fragment(long from, long to, long trackId, long[] counted, java.util.Map<Long, Long> durations) throws IOException {
        long defaultDuration = -1;
        boolean ours = false;
        for (long pos = from; pos + 8 <= to; ) {
            ByteBuffer header = bytes(pos, 8);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            if (boxSize < 8 || pos + boxSize > to) {
                throw invalid("is not a valid MP4: a fragment is damaged at byte " + pos);
            }
            if (type.equals("traf")) {
                fragment(pos + 8, pos + boxSize, trackId, counted, durations);
            } else if (type.equals("tfhd") && boxSize >= 16) {
                ByteBuffer tfhd = bytes(pos + 8, Math.min(boxSize - 8, 40));
                int flags = tfhd.getInt(0) & 0xFFFFFF;
                ours = trackId < 0 || Integer.toUnsignedLong(tfhd.getInt(4)) == trackId;
                int at = 8 + ((flags & 0x01) != 0 ? 8 : 0) + ((flags & 0x02) != 0 ? 4 : 0);
                defaultDuration = (flags & 0x08) != 0 && tfhd.limit() >= at + 4 ? Integer.toUnsignedLong(tfhd.getInt(at)) : -1;
            } else if (type.equals("trun") && ours && boxSize >= 16) {
                ByteBuffer head = bytes(pos + 8, 8);
                int flags = head.getInt(0) & 0xFFFFFF;
                long samples = Integer.toUnsignedLong(head.getInt(4));
                int skip = ((flags & 0x01) != 0 ? 4 : 0) + ((flags & 0x04) != 0 ? 4 : 0);
                int entry = Integer.bitCount(flags & 0xF00) * 4;
                if (samples > (boxSize - 16 - skip) / Math.max(1, entry) && entry > 0) {
                    throw invalid("is not a valid MP4: a fragment lists more samples than it holds at byte " + pos);
                }
                counted[0] += samples;
                if ((flags & 0x100) != 0) {
                    ByteBuffer table = bytes(pos + 16 + skip, samples * entry);
                    for (int i = 0; i < samples; i++) {
                        long duration = Integer.toUnsignedLong(table.getInt(i * entry));
                        counted[1] += duration;
                        durations.merge(duration, 1L, Long::sum);
                    }
                } else {
                    counted[1] += samples * Math.max(0, defaultDuration);
                    durations.merge(defaultDuration >= 0 ? defaultDuration : -1L, samples, Long::sum);
                }
            }
            pos += boxSize;
        }
    }

    private Video mp4Tracks(long from, long to) throws IOException {
        double duration = 0;
        for (long pos = from; pos + 8 <= to; ) {
            ByteBuffer header = bytes(pos, 8);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            if (boxSize < 8 || pos + boxSize > to) {
                throw invalid("is not a valid MP4: its index is damaged at byte " + pos);
            }
            if (type.equals("mvhd")) {
                ByteBuffer mvhd = bytes(pos + 8, Math.min(boxSize - 8, 32));
                boolean v1 = mvhd.get(0) == 1;
                long scale = Integer.toUnsignedLong(mvhd.getInt(v1 ? 20 : 12));
                long length = v1 ? mvhd.getLong(24) : Integer.toUnsignedLong(mvhd.getInt(16));
                duration = scale > 0 ? (double) length / scale : 0;
            } else if (type.equals("trak")) {
                long[] track = videoTrack(pos + 8, pos + boxSize);
                if (track != null) {
                    double fps = track[3] > 0 && track[2] > 0 ? (double) track[2] * track[4] / track[3] : 0;
                    return new Video(Container.MP4, (int) track[0], (int) track[1], duration, fps, fps > 0 ? track[2] : 0);
                }
            }
            pos += boxSize;
        }
        throw invalid("is an MP4 without a video track");
    }

    /** The track's width, height, sample count, media duration and timescale when its handler is 'vide'; null for other tracks. */
    private long[] videoTrack(long from, long to) throws IOException {
        long[] dimensions = null;
        long[] timing = {0, 0, 0};
        long trackId = -1;
        boolean video = false;
        for (long pos = from; pos + 8 <= to; ) {
            ByteBuffer header = bytes(pos, 8);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            if (boxSize < 8 || pos + boxSize > to) {
                throw invalid("is not a valid MP4: a track is damaged at byte " + pos);
            }
            if (type.equals("tkhd") && boxSize >= 8 + 84) {
                // the last 8 bytes of tkhd: width and height as 16.16 fixed point
                ByteBuffer wh = bytes(pos + boxSize - 8, 8);
                dimensions = new long[] {wh.getInt(0) >>> 16, wh.getInt(4) >>> 16};
                ByteBuffer tkhd = bytes(pos + 8, 24);
                trackId = Integer.toUnsignedLong(tkhd.getInt(tkhd.get(0) == 1 ? 20 : 12));
            } else if (type.equals("mdia")) {
                video = handler(pos + 8, pos + boxSize).equals("vide");
                timing = timing(pos + 8, pos + boxSize);
            }
            pos += boxSize;
        }
        long[] size = dimensions == null ? new long[] {0, 0} : dimensions;
        if (video) {
            videoTrackId = trackId;
            videoTimescale = timing[2];
        }
        return video ? new long[] {size[0], size[1], timing[0], timing[1], timing[2]} : null;
    }

    /** A media box's sample count (its 'stts' entries summed), duration and timescale (its 'mdhd'); zeros where absent. */
    private long[] timing(long from, long to) throws IOException {
        long[] timing = {0, 0, 0};
        for (long pos = from; pos + 8 <= to; ) {
            ByteBuffer header = bytes(pos, 8);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            if (boxSize < 8 || pos + boxSize > to) {
                break;
            }
            if (type.equals("mdhd") && boxSize >= 8 + 24) {
                ByteBuffer mdhd = bytes(pos + 8, Math.min(boxSize - 8, 32));
                boolean v1 = mdhd.get(0) == 1;
                timing[2] = Integer.toUnsignedLong(mdhd.getInt(v1 ? 20 : 12));
                timing[1] = v1 ? mdhd.getLong(24) : Integer.toUnsignedLong(mdhd.getInt(16));
            } else if (type.equals("minf") || type.equals("stbl")) {
                timing[0] = timing(pos + 8, pos + boxSize)[0];
            } else if (type.equals("stts") && boxSize >= 16) {
                long entries = Integer.toUnsignedLong(bytes(pos + 12, 4).getInt(0));
                if (entries > (boxSize - 16) / 8 || entries > MAX_STTS_ENTRIES) {
                    return timing; // a rate varied beyond reason: the count is left unknown rather than read at length
                }
                ByteBuffer table = bytes(pos + 16, entries * 8);
                for (int i = 0; i < entries; i++) {
                    timing[0] += Integer.toUnsignedLong(table.getInt(i * 8));
                }
            }
            pos += boxSize;
        }
        return timing;
    }

    private String handler(long from, long to) throws IOException {
        for (long pos = from; pos + 8 <= to; ) {
            ByteBuffer header = bytes(pos, 8);
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            if (boxSize < 8) {
                break;
            }
            if (fourCc(header, 4).equals("hdlr") && boxSize >= 20) {
                return fourCc(bytes(pos + 16, 4), 0);
            }
            pos += boxSize;
        }
        return "";
    }

    ByteBuffer bytes(long pos, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        while (buf.hasRemaining()) {
            if (in.read(buf, pos + buf.position()) < 0) {
                throw invalid("ends early, at byte " + (pos + buf.position()));
            }
        }
        return buf.flip();
    }

    private static String fourCc(ByteBuffer buf, int at) {
        byte[] chars = new byte[4];
        buf.get(at, chars);
        return new String(chars, StandardCharsets.ISO_8859_1);
    }

    InvalidInputException invalid(String what) {
        return new InvalidInputException(name + " " + what);
    }
}
