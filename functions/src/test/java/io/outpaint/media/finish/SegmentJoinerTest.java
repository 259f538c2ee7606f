package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long clip finished segment by segment and joined, on real clips made by ffmpeg: an 8 s 320x240 clip at 24 fps with
 * AAC sound, planned in three segments by {@link SegmentPlanner} (48 generated frames at most, 8 of overlap, at 16 fps),
 * each with a stand-in generation whose margins move with the picture and whose hue differs from the others', reframed
 * to 1:1.
 */
class SegmentJoinerTest {

    private static final FinishLimits ROOMY = new FinishLimits(4096, 900, Long.MAX_VALUE, Long.MAX_VALUE);
    private static final FinishSpec SPEC = FinishSpec.of(320, 320, new FinishSpec.Rect(0, 40, 320, 240));
    /** Each generation's colour cast (Cb, Cr steps): no two segments alike, each next one as far from the one before. */
    private static final int[][] CASTS = {{0, 0}, {10, -10}, {20, 0}};

    @TempDir
    static Path dir;
    static Path source;
    static SegmentPlan plan;
    static List<SegmentPieces> pieces;
    static Finished crossFaded;
    static Finished hardCut;
    static Finished even;
    static SegmentJoiner joiner;
    static FinishClips clips;

    @BeforeAll
    static void finishAndJoinEverySegment() {
        clips = new FinishClips(dir);
        source = clips.mp4("long.mp4", 320, 240, "24", 8, "aac");
        Path scene = clips.scene("scene.mkv", 160, 160, "24", 8);
        long frames = FinishClips.PROBE.probe(source).frames();
        plan = SegmentPlanner.plan(frames, 24, 16, new SegmentRules(48, 24, 8, 0), List.of(), 7);
        SegmentFinisher finisher = new SegmentFinisher(FfmpegPrograms.locate(), ROOMY, Duration.ofMinutes(5));
        pieces = new ArrayList<>();
        for (SegmentCut cut : SegmentCut.of(plan)) {
            SegmentPlan.Segment s = plan.segments().get(cut.index());
            Path generated = clips.segmentGenerated("generated-" + cut.index() + ".mp4", source, scene, s.firstFrame(), s.endFrame(),
                    s.generatedFrames(), SPEC, CASTS[cut.index()][0], CASTS[cut.index()][1]);
            pieces.add(finisher.finish(source, cut, generated, SPEC, dir.resolve("segment-" + cut.index())));
        }
        joiner = new SegmentJoiner(FfmpegPrograms.locate(), Duration.ofMinutes(5));
        crossFaded = joiner.join(source, pieces, SPEC, dir.resolve("joined"));
        hardCut = joiner.join(source, pieces, SPEC, dir.resolve("hard-cut"), SegmentJoiner.Overlap.HARD_CUT);
        even = joiner.join(source, pieces, SPEC, dir.resolve("even"), SegmentJoiner.Overlap.EVEN_CROSS_FADE);
    }

    @Test
    void planIsThreeOverlappingSegments() {
        assertThat(plan.count()).isEqualTo(3);
        assertThat(plan.overlapSourceFrames()).isEqualTo(12);
        assertThat(plan.segments()).extracting(SegmentPlan.Segment::firstFrame).containsExactly(0L, 60L, 120L);
    }

    @Test
    void outputHasExactlyTheSourcesFramesAndRate() {
        MediaInfo in = FinishClips.PROBE.probe(source);
        for (Finished joined : List.of(crossFaded, hardCut, even)) {
            MediaInfo out = FinishClips.PROBE.probe(joined.video());
            assertThat(out.frames()).as("frames of %s", joined.video()).isEqualTo(in.frames()).isEqualTo(192);
            assertThat(out.fps()).isEqualTo(in.fps());
            assertThat(joined.frames()).isEqualTo(192);
            assertThat(out.durationSeconds()).isEqualTo(8.0);
            assertThat(out.width()).isEqualTo(320);
            assertThat(out.height()).isEqualTo(320);
        }
    }

    @Test
    void laysTheSourcesWholeSoundTrackBackPacketForPacket() {
        assertThat(crossFaded.audio()).isEqualTo(AudioHandling.COPIED);
        assertThat(crossFaded.audioCodec()).isEqualTo("aac");
        assertThat(FinishClips.audioMd5(crossFaded.video())).isEqualTo(FinishClips.audioMd5(source));
    }

    @Test
    void keepsTheSourceAtItsPlaceAcrossTheWholeClip() {
        // inside the seam's feather, where the source is laid back whole: only the encoder touches it
        int inset = SeamMask.FEATHER;
        String inner = "crop=320:" + (240 - 2 * inset) + ":0:" + (40 + inset);
        Path reference = clips.lossless(source, "crop=320:" + (240 - 2 * inset) + ":0:" + inset, "long-inner.mkv");
        double[] psnrs = FinishClips.psnrs(crossFaded.video(), inner, reference);
        assertThat(psnrs).hasSize(192);
        assertThat(Arrays.stream(psnrs).average().orElseThrow()).as("PSNR over the whole clip").isGreaterThan(40);
    }

    @Test
    void showsEverySourceFrameAtItsOwnPlace() {
        // each output frame is nearer its own source frame than either neighbour: no segment starts a frame early or late
        int inset = SeamMask.FEATHER;
        String inner = "crop=320:" + (240 - 2 * inset) + ":0:" + (40 + inset);
        String innerOfSource = "crop=320:" + (240 - 2 * inset) + ":0:" + inset;
        Path reference = clips.lossless(source, innerOfSource, "frames.mkv");
        Path referenceAhead = clips.lossless(source, innerOfSource + ",trim=start_frame=1,setpts=PTS-STARTPTS", "frames-ahead.mkv");
        double[] same = FinishClips.psnrs(crossFaded.video(), inner, reference);
        double[] againstNext = FinishClips.psnrs(crossFaded.video(), inner, referenceAhead);
        double[] againstPrevious = FinishClips.psnrs(crossFaded.video(), inner + ",trim=start_frame=1,setpts=PTS-STARTPTS", reference);
        assertThat(same).hasSize(192);
        for (int k = 0; k < same.length; k++) {
            if (k + 1 < same.length) { // the shifted comparisons have a frame fewer
                assertThat(same[k]).as("frame %d against itself and the next source frame", k).isGreaterThan(againstNext[k] + 10);
            }
            if (k > 0) {
                assertThat(same[k]).as("frame %d against itself and the previous source frame", k).isGreaterThan(againstPrevious[k - 1] + 10);
            }
        }
    }

    @Test
    void crossFadedMarginsMoveAcrossEveryBoundaryAsInsideTheSegments() {
        SeamMetric.Result seams = SeamMetric.measure(FfmpegPrograms.locate(), crossFaded.video(), SPEC.source(),
                SeamMetric.overlaps(plan));
        SeamMetric.Result evenly = SeamMetric.measure(FfmpegPrograms.locate(), even.video(), SPEC.source(), SeamMetric.overlaps(plan));
        System.out.printf("joined: seam peaks %s paced, %s even (references %s)%n", seams.boundaryPeaks(), evenly.boundaryPeaks(),
                seams.references());
        assertThat(seams.boundaryRatios()).hasSize(2).allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(1.5));
        // the paced fade's largest step at each boundary is no larger than the even one's (a tenth of a level for the coding)
        for (int b = 0; b < 2; b++) {
            assertThat(seams.boundaryPeaks().get(b)).as("boundary %d's largest step, paced against even", b + 1)
                    .isLessThanOrEqualTo(evenly.boundaryPeaks().get(b) + 0.1);
        }
    }

    @Test
    void theSeamMetricCatchesAHardCutAtEveryBoundary() {
        SeamMetric.Result seams = SeamMetric.measure(FfmpegPrograms.locate(), hardCut.video(), SPEC.source(),
                SeamMetric.overlaps(plan));
        assertThat(seams.boundaryRatios()).hasSize(2).allSatisfy(r -> assertThat(r).isGreaterThan(1.5));
    }

    @Test
    void anEvenCrossFadeMixesTheTwoSegmentsMarginsFrameByFrameInProportion() throws IOException {
        // the first overlap: frames 60 to 71, segment 0's tail and segment 1's head, 12 frames each
        double previous = 0;
        for (int n = 0; n < 12; n++) {
            double[] shares = shares(n);
            // where the output lies between the earlier and the later segment: (n + 1) / 13 of the way
            assertThat(shares[0]).as("the later segment's share of overlap frame %d, even", n)
                    .isCloseTo((n + 1) / 13.0, org.assertj.core.data.Offset.offset(0.1));
            // paced: from the earlier segment to the later one, never back
            assertThat(shares[1]).as("the later segment's share of overlap frame %d, paced", n).isBetween(-0.05, 1.05)
                    .isGreaterThanOrEqualTo(previous - 0.05);
            previous = shares[1];
        }
    }

    /** The later segment's share of overlap frame n's top margin (its widest channel), in the even and the paced joins. */
    private static double[] shares(int n) throws IOException {
        String topMargin = "crop=320:40:0:0";
        double[] tail = FinishClips.meanRgb(clips.frame(pieces.get(0).tail().orElseThrow(), n, topMargin, "tail-" + n + ".png"));
        double[] head = FinishClips.meanRgb(clips.frame(pieces.get(1).head().orElseThrow(), n, topMargin, "head-" + n + ".png"));
        int c = widest(tail, head);
        assertThat(Math.abs(head[c] - tail[c])).as("the two generations' casts differ").isGreaterThan(8);
        double[] shares = new double[2];
        List<Finished> joins = List.of(even, crossFaded);
        for (int j = 0; j < 2; j++) {
            double[] out = FinishClips.meanRgb(clips.frame(joins.get(j).video(), 60 + n, topMargin, "joined-" + j + "-" + (60 + n) + ".png"));
            shares[j] = (out[c] - tail[c]) / (head[c] - tail[c]);
        }
        return shares;
    }

    @Test
    void crossFadeIsTheWeightedMeanOfTheTwoSegmentsPixelsExactly() throws IOException {
        Path tail = pieces.get(0).tail().orElseThrow();
        Path head = pieces.get(1).head().orElseThrow();
        Path mixed = dir.resolve("mixed.nut");
        FinishClips.FFMPEG.ffmpeg("mix", List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", tail.toString(),
                "-i", head.toString(), "-filter_complex", SegmentJoiner.mixFilter(SegmentJoiner.Mix.of(12, SegmentJoiner.Overlap.EVEN_CROSS_FADE), new Rational(24, 1)),
                "-map", "[v]", "-c:v", "ffv1", mixed.toString()));
        byte[] x = clips.yuv(tail, "tail.yuv");
        byte[] y = clips.yuv(head, "head.yuv");
        byte[] out = clips.yuv(mixed, "mixed.yuv");
        int frame = 320 * 320 * 3 / 2;
        assertThat(out).hasSize(12 * frame);
        int differing = 0;
        for (int k = 0; k < 12; k++) {
            for (int i = k * frame; i < (k + 1) * frame; i++) {
                int a = x[i] & 0xFF;
                int b = y[i] & 0xFF;
                differing += a != b ? 1 : 0;
                assertThat(out[i] & 0xFF).as("sample %d of frame %d", i - k * frame, k)
                        .isEqualTo((int) Math.floor((a * (12 - k) + b * (k + 1)) / 13.0 + 0.5));
            }
        }
        assertThat(differing).as("samples where the segments differ: the margins").isGreaterThan(12 * 320 * 80);
    }

    @Test
    void refusesPiecesEncodedDifferentlyRatherThanCopyThemIntoOneStream() throws IOException {
        // a body written with other settings (here another canvas) has other parameter sets than the rest
        Path other = dir.resolve("other-body");
        Files.createDirectories(other);
        FinishClips.FFMPEG.ffmpeg("other body", List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=24", "-frames:v", "48", "-c:v", "libopenh264", "-b:v", "1M", "-f", "mp4",
                other.resolve(SegmentPieces.BODY).toString()));
        SegmentPieces middle = pieces.get(1);
        List<SegmentPieces> mixed = List.of(pieces.get(0),
                new SegmentPieces(middle.cut(), middle.head(), java.util.Optional.of(other.resolve(SegmentPieces.BODY)), middle.tail()),
                pieces.get(2));
        assertThatThrownBy(() -> joiner.join(source, mixed, SPEC, dir.resolve("mixed")))
                .isInstanceOf(FinishFailedException.class)
                .hasMessageContaining("encoded differently");
        assertThat(dir.resolve("mixed").resolve("finished.mp4")).doesNotExist();
    }

    @Test
    void refusesPiecesThatDoNotCoverTheSourceBeforeAnyWork() {
        assertThatThrownBy(() -> joiner.join(source, pieces.subList(0, 2), SPEC, dir.resolve("short")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the last segment ends at frame 132 sharing 12 frames (overlapWithNext); the source has 192 frames");
        assertThat(dir.resolve("short")).doesNotExist();
    }

    /** The channel in which two colours differ most. */
    private static int widest(double[] a, double[] b) {
        int widest = 0;
        for (int c = 1; c < 3; c++) {
            if (Math.abs(a[c] - b[c]) > Math.abs(a[widest] - b[widest])) {
                widest = c;
            }
        }
        return widest;
    }

    @Test
    void reportsSizeChecksumAndPoster() throws IOException {
        assertThat(crossFaded.bytes()).isEqualTo(Files.size(crossFaded.video()));
        assertThat(crossFaded.sha256()).isEqualTo(Finisher.sha256(crossFaded.video()));
        assertThat(Files.readAllBytes(crossFaded.poster())).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
        assertThat(crossFaded.source()).isEqualTo(SPEC.source());
        String file = new String(Files.readAllBytes(crossFaded.video()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(file.indexOf("moov")).isPositive().isLessThan(file.indexOf("mdat"));
        assertThat(Files.list(dir.resolve("joined")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("finished.mp4", "poster.jpg");
    }
}
