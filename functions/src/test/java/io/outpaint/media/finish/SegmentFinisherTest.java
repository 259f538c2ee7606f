package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One segment finished from the whole source, on real clips made by ffmpeg: its pieces' lengths and kinds, and that
 * the frames it read are exactly the segment's, also when the video starts after the sound.
 */
class SegmentFinisherTest {

    private static final FinishLimits ROOMY = new FinishLimits(4096, 900, Long.MAX_VALUE, Long.MAX_VALUE);
    private static final FinishSpec SPEC = FinishSpec.of(320, 320, new FinishSpec.Rect(0, 40, 320, 240));
    /** Frames 0-59 alone, 48-59 shared, 60-83 alone, 84-95 shared, 96-119 alone: three segments of a 5 s clip. */
    private static final SegmentCut FIRST = new SegmentCut(0, 0, 60, 0, 12);
    private static final SegmentCut MIDDLE = new SegmentCut(1, 48, 96, 12, 12);
    private static final SegmentCut LAST = new SegmentCut(2, 84, 120, 12, 0);
    /** Inside the seam's feather: the source's pixels, laid back whole. */
    private static final String CENTRE = "crop=320:" + (240 - 2 * SeamMask.FEATHER) + ":0:" + (40 + SeamMask.FEATHER);
    private static final String CENTRE_OF_SOURCE = "crop=320:" + (240 - 2 * SeamMask.FEATHER) + ":0:" + SeamMask.FEATHER;

    @TempDir
    static Path dir;
    static FinishClips clips;
    static SegmentFinisher finisher;
    static Path source;
    static Path late;
    static SegmentPieces first;
    static SegmentPieces middle;
    static SegmentPieces last;
    static SegmentPieces middleOfLate;

    @BeforeAll
    static void finishThreeSegments() {
        clips = new FinishClips(dir);
        finisher = new SegmentFinisher(FfmpegPrograms.locate(), ROOMY, Duration.ofMinutes(5));
        source = clips.mp4("source.mp4", 320, 240, "24", 5, "aac");
        Path scene = clips.scene("scene.mkv", 160, 160, "24", 5);
        first = finish(source, scene, FIRST, "first");
        middle = finish(source, scene, MIDDLE, "middle");
        last = finish(source, scene, LAST, "last");
        // the same clip with its pictures shown 0.3 s after its sound starts, as some cameras and editors write
        late = dir.resolve("late.mp4");
        FinishClips.FFMPEG.ffmpeg("make late.mp4", List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-itsoffset", "0.3", "-i", source.toString(), "-i", source.toString(), "-map", "0:v", "-map", "1:a", "-c", "copy",
                late.toString()));
        middleOfLate = finish(late, scene, MIDDLE, "late-middle");
    }

    private static SegmentPieces finish(Path input, Path scene, SegmentCut cut, String name) {
        int frames = (int) Math.ceil(cut.frames() * 16 / 24.0);
        Path generated = clips.segmentGenerated(name + "-generated.mp4", input, scene, cut.firstFrame(), cut.endFrame(), frames,
                SPEC, 4 * cut.index(), -4 * cut.index());
        return finisher.finish(input, cut, generated, SPEC, dir.resolve(name));
    }

    @Test
    void writesAHeadOnlyAfterAndATailOnlyBeforeAnotherSegment() {
        assertThat(first.head()).isEmpty();
        assertThat(first.tail()).isPresent();
        assertThat(middle.head()).isPresent();
        assertThat(middle.tail()).isPresent();
        assertThat(last.head()).isPresent();
        assertThat(last.tail()).isEmpty();
        assertThat(List.of(first, middle, last)).allSatisfy(p -> assertThat(p.body()).isPresent());
    }

    @Test
    void piecesHoldTheSegmentsFramesSplitAtTheOverlaps() {
        assertFrames(first.body().orElseThrow(), 48);
        assertFrames(first.tail().orElseThrow(), 12);
        assertFrames(middle.head().orElseThrow(), 12);
        assertFrames(middle.body().orElseThrow(), 24);
        assertFrames(middle.tail().orElseThrow(), 12);
        assertFrames(last.head().orElseThrow(), 12);
        assertFrames(last.body().orElseThrow(), 24);
    }

    @Test
    void overlapsAreLosslessAndBodiesAreH264StartingOnAKeyFrame() {
        assertThat(FinishClips.PROBE.probe(middle.head().orElseThrow()).videoCodec()).isEqualTo("ffv1");
        assertThat(FinishClips.PROBE.probe(middle.tail().orElseThrow()).videoCodec()).isEqualTo("ffv1");
        MediaInfo body = FinishClips.PROBE.probe(middle.body().orElseThrow());
        assertThat(body.videoCodec()).isEqualTo("h264");
        assertThat(body.width()).isEqualTo(320);
        assertThat(body.height()).isEqualTo(320);
        assertThat(body.audio()).as("the Join lays the whole sound back").isEmpty();
        String firstPacket = FinishClips.FFMPEG.ffprobe("first packet", List.of("-v", "error", "-select_streams", "v:0",
                "-read_intervals", "%+#1", "-show_entries", "packet=flags", "-of", "csv=p=0", middle.body().orElseThrow().toString()));
        assertThat(firstPacket.trim()).startsWith("K");
    }

    @Test
    void overlapsAreTheSourcesOwnFramesExactly() {
        // lossless pieces: the centre is the source's decoded frames bit for bit, so a frame early or late shows
        assertThat(FinishClips.frameMd5s(first.tail().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 48, 60));
        assertThat(FinishClips.frameMd5s(middle.head().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 48, 60));
        assertThat(FinishClips.frameMd5s(middle.tail().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 84, 96));
        assertThat(FinishClips.frameMd5s(last.head().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 84, 96));
    }

    @Test
    void findsTheSegmentsFramesWhenThePicturesStartAfterTheSound() {
        assertThat(FinishClips.PROBE.videoStartSeconds(late)).isGreaterThan(0.25);
        assertThat(FinishClips.frameMd5s(middleOfLate.head().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 48, 60));
        assertThat(FinishClips.frameMd5s(middleOfLate.tail().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 84, 96));
    }

    @Test
    void replacesWhatAnEarlierAttemptLeftAndKeepsNoMask() throws Exception {
        Path again = dir.resolve("again");
        Files.createDirectories(again);
        Files.writeString(again.resolve(SegmentPieces.HEAD), "left by a crashed attempt");
        Path generated = dir.resolve("middle-generated.mp4");
        SegmentPieces redone = finisher.finish(source, MIDDLE, generated, SPEC, again);
        assertThat(FinishClips.frameMd5s(redone.head().orElseThrow(), CENTRE)).isEqualTo(sourceFrames(source, 48, 60));
        try (var files = Files.list(again)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SegmentPieces.HEAD, SegmentPieces.BODY, SegmentPieces.TAIL);
        }
    }

    @Test
    void refusesASegmentPastTheSourcesEnd() {
        SegmentCut beyond = new SegmentCut(2, 84, 130, 12, 0);
        assertThatThrownBy(() -> finisher.finish(source, beyond, dir.resolve("last-generated.mp4"), SPEC, dir.resolve("beyond")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment 2 ends at frame 130, past the source's 120 frames");
        assertThat(dir.resolve("beyond")).doesNotExist();
    }

    @Test
    void piecesAreFoundAgainByName() {
        SegmentPieces found = SegmentPieces.in(dir.resolve("middle"), MIDDLE);
        assertThat(found).isEqualTo(middle);
        assertThatThrownBy(() -> SegmentPieces.in(dir.resolve("first"), MIDDLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head.nut holds 12 frames")
                .hasMessageContaining("missing");
    }

    private static List<String> sourceFrames(Path clip, int from, int to) {
        return FinishClips.frameMd5s(clip, "trim=start_frame=" + from + ":end_frame=" + to + "," + CENTRE_OF_SOURCE);
    }

    private static void assertFrames(Path piece, long frames) {
        MediaInfo info = FinishClips.PROBE.probe(piece);
        assertThat(info.frames()).as("frames of %s", piece).isEqualTo(frames);
        assertThat(info.fps()).as("rate of %s", piece).isEqualTo(new Rational(24, 1));
    }
}
