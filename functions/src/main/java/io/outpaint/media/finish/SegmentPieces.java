package io.outpaint.media.finish;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One finished segment as the Join takes it: the head and tail (the frames shared with the neighbours, FFV1 in NUT,
 * lossless, to be cross-faded) and the body (the segment's own frames, H.264 in MP4 with the final encoder settings,
 * starting on an IDR, to be copied as it is). A piece with no frames is absent: the first segment has no head, the
 * last no tail, and a segment made only of overlaps no body.
 */
public record SegmentPieces(SegmentCut cut, Optional<Path> head, Optional<Path> body, Optional<Path> tail) {

    public static final String HEAD = "head.nut";
    public static final String BODY = "body.mp4";
    public static final String TAIL = "tail.nut";

    public SegmentPieces {
        java.util.Objects.requireNonNull(cut, "cut");
        check(cut.index(), "head", head, cut.headFrames());
        check(cut.index(), "body", body, cut.bodyFrames());
        check(cut.index(), "tail", tail, cut.tailFrames());
    }

    /**
     * The pieces {@link SegmentFinisher} wrote into {@code dir} for {@code cut} (or that were fetched back into one
     * folder under the same names), each there exactly when it has frames.
     */
    public static SegmentPieces in(Path dir, SegmentCut cut) {
        return new SegmentPieces(cut, piece(dir.resolve(HEAD), cut.headFrames()), piece(dir.resolve(BODY), cut.bodyFrames()),
                piece(dir.resolve(TAIL), cut.tailFrames()));
    }

    private static Optional<Path> piece(Path file, long frames) {
        if (frames > 0 && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("a segment's " + file.getFileName() + " holds " + frames + " frames, but "
                    + file + " is missing");
        }
        return frames > 0 ? Optional.of(file) : Optional.empty();
    }

    private static void check(int index, String name, Optional<Path> piece, long frames) {
        if (piece.isPresent() != frames > 0) {
            throw new IllegalArgumentException("segment " + index + "'s " + name + " is there exactly when it has frames: "
                    + frames + " frames, " + piece.map(p -> "file " + p).orElse("no file"));
        }
    }
}
