package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The colour match of neighbouring segments' margins: the statistics on synthetic frames, the maps and their move
 * along a segment, and, on clips made by ffmpeg whose two generations carry casts far apart, that the finished
 * segments meet in the same colours where they overlap while the centre stays the source's.
 */
class MarginColoursTest {

    private static final FinishLimits ROOMY = new FinishLimits(4096, 900, Long.MAX_VALUE, Long.MAX_VALUE);
    private static final FinishSpec SPEC = FinishSpec.of(320, 320, new FinishSpec.Rect(0, 40, 320, 240));
    /** Frames 0-59 alone, 48-59 shared, 60-83 alone, 84-95 shared, 96-119 alone: three segments of a 5 s clip. */
    private static final SegmentCut FIRST = new SegmentCut(0, 0, 60, 0, 12);
    private static final SegmentCut MIDDLE = new SegmentCut(1, 48, 96, 12, 12);
    private static final SegmentCut LAST = new SegmentCut(2, 84, 120, 12, 0);
    private static final String CENTRE = "crop=320:" + (240 - 2 * SeamMask.FEATHER) + ":0:" + (40 + SeamMask.FEATHER);
    private static final int SPILL = 4;
    private static final String CENTRE_OF_SOURCE = "crop=320:" + (240 - 2 * SeamMask.FEATHER) + ":0:" + SeamMask.FEATHER;

    @TempDir
    static Path dir;
    static SegmentFinisher finisher;
    static Path source;
    static Path firstGenerated;
    static Path middleGenerated;
    static Path lastGenerated;

    @BeforeAll
    static void makeThreeGenerationsWithTheirOwnCasts() {
        FinishClips clips = new FinishClips(dir);
        finisher = new SegmentFinisher(FfmpegPrograms.locate(), ROOMY, Duration.ofMinutes(5));
        source = clips.mp4("source.mp4", 320, 240, "24", 5, "aac");
        Path scene = clips.scene("scene.mkv", 160, 160, "24", 5);
        // casts 40 and 34 chroma steps apart, as two of the model's generations can be; the source's picture spills 4 rows
        // (8 on the canvas, a fifth of each margin) into the margins above and below, where no cast reaches
        firstGenerated = clips.segmentGenerated("first.mp4", source, scene, 0, 60, 40, SPEC, -20, 16, SPILL);
        middleGenerated = clips.segmentGenerated("middle.mp4", source, scene, 48, 96, 32, SPEC, 20, -18, SPILL);
        lastGenerated = clips.segmentGenerated("last.mp4", source, scene, 84, 120, 24, SPEC, 0, 0, SPILL);
    }

    @Test
    void statisticsCountOnlyTheSamplesOutsideTheSource() {
        // an 8x8 frame, the source at (2, 2) 4x4: luma 100 and 120 in alternate margin columns, 250 inside; chroma
        // 90 and 170 in the margins, 20 in the one chroma sample wholly inside
        int w = 8;
        int h = 8;
        byte[] frame = new byte[w * h * 3 / 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x >= 2 && x < 6 && y >= 2 && y < 6;
                frame[y * w + x] = (byte) (inside ? 250 : x % 2 == 0 ? 100 : 120);
            }
        }
        for (int y = 0; y < h / 2; y++) {
            for (int x = 0; x < w / 2; x++) {
                boolean inside = x >= 1 && x < 3 && y >= 1 && y < 3;
                frame[w * h + y * (w / 2) + x] = (byte) (inside ? 20 : 90);
                frame[w * h + w * h / 4 + y * (w / 2) + x] = (byte) (inside ? 20 : 170);
            }
        }
        byte[] twoFrames = new byte[frame.length * 2];
        System.arraycopy(frame, 0, twoFrames, 0, frame.length);
        System.arraycopy(frame, 0, twoFrames, frame.length, frame.length);

        MarginColours.Stats stats = MarginColours.of(twoFrames, w, h, new FinishSpec.Rect(2, 2, 4, 4));

        assertThat(stats.mean()).containsExactly(new double[] {110, 90, 170}, offset(1e-9));
        assertThat(stats.spread()).containsExactly(new double[] {10, 0, 0}, offset(1e-9));
    }

    @Test
    void pairedStatisticsLeaveOutTheSamplesWhereTheTwoSidesAlreadyAgree() {
        // a 16x16 frame, the source at (4, 4) 8x8; margins: luma a ramp, chroma a left-right gradient. Their side is
        // the same pictures with a cast (U +40, V -30), except the margin's top rows, which neither side tinted
        int w = 16;
        int h = 16;
        byte[] own = new byte[w * h * 3 / 2];
        byte[] theirs = new byte[own.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                own[y * w + x] = (byte) (60 + 4 * x + y);
                theirs[y * w + x] = own[y * w + x];
            }
        }
        for (int y = 0; y < h / 2; y++) {
            for (int x = 0; x < w / 2; x++) {
                int u = 80 + 5 * x;
                int v = 150 - 3 * x;
                boolean untinted = y == 0;
                own[w * h + y * (w / 2) + x] = (byte) u;
                own[w * h + w * h / 4 + y * (w / 2) + x] = (byte) v;
                theirs[w * h + y * (w / 2) + x] = (byte) (untinted ? u : u + 40);
                theirs[w * h + w * h / 4 + y * (w / 2) + x] = (byte) (untinted ? v : v - 30);
            }
        }
        FinishSpec.Rect source = new FinishSpec.Rect(4, 4, 8, 8);

        MarginColours.Stats[] both = MarginColours.paired(own, theirs, w, h, source);
        MarginColours.Stats all = MarginColours.of(theirs, w, h, source);

        // over the samples that carry the cast: the means 40 and 30 apart, the same spread, so the map is a pure move
        assertThat(both[1].mean()[1] - both[0].mean()[1]).isCloseTo(40, offset(1e-9));
        assertThat(both[1].mean()[2] - both[0].mean()[2]).isCloseTo(-30, offset(1e-9));
        assertThat(both[1].spread()).containsExactly(both[0].spread(), offset(1e-9));
        MarginColours.Map map = MarginColours.Map.matching(both[0], MarginColours.Stats.midpoint(both[0], both[1]));
        assertThat(map.gain()).containsExactly(new double[] {1, 1, 1}, offset(1e-9));
        assertThat(map.offset()).containsExactly(new double[] {0, 20, -15}, offset(1e-9));
        // counted in, the untinted row pulls their mean towards ours and widens their spread: a false contrast
        assertThat(all.mean()[1] - MarginColours.of(own, w, h, source).mean()[1]).isLessThan(40 - 1);
        assertThat(all.spread()[1]).isGreaterThan(both[1].spread()[1] + 1);
    }

    @Test
    void eachSampleTakesTheMapAsFarAsItCarriesTheCast() {
        // a 16x16 picture, the source at (4, 4) 8x8, two frames: their side is ours with a cast (U +40, V -30) but for
        // the margins' top row of chroma, which neither side tinted, one sample of the row below, which carries half of it
        // (a chroma sample straddling the two), and the source, which both sides keep; one sample differs against the cast
        // and one by none of it in the first frame and all of it in the second, as where two generations painted
        // different things; luma has no cast, and takes the map everywhere
        int w = 16;
        int h = 16;
        int luma = w * h;
        int chroma = luma / 4;
        byte[] own = new byte[luma * 3];
        byte[] theirs = new byte[own.length];
        for (int f = 0; f < 2; f++) {
            int frame = f * luma * 3 / 2;
            for (int i = 0; i < luma; i++) {
                own[frame + i] = (byte) (60 + i % 97 + f);
                theirs[frame + i] = own[frame + i];
            }
            for (int y = 0; y < h / 2; y++) {
                for (int x = 0; x < w / 2; x++) {
                    boolean inside = x >= 2 && x < 6 && y >= 2 && y < 6;
                    double share = y == 0 || inside ? 0 : y == 1 && x == 0 ? 0.5 : 1;
                    if (y == 1 && x == 7) {
                        share = -1; // a difference as large as the cast, against it: something else painted there
                    } else if (y == 7 && x == 0) {
                        share = f; // none of the cast, then all of it: the difference changes from frame to frame
                    }
                    int u = frame + luma + y * (w / 2) + x;
                    int v = u + chroma;
                    own[u] = (byte) (80 + 5 * x + f);
                    own[v] = (byte) (150 - 3 * x);
                    theirs[u] = (byte) ((own[u] & 0xFF) + Math.round(40 * share));
                    theirs[v] = (byte) ((own[v] & 0xFF) - Math.round(30 * share));
                }
            }
        }
        FinishSpec.Rect source = new FinishSpec.Rect(4, 4, 8, 8);

        byte[] weights = MarginColours.weights(List.<byte[][]>of(new byte[][] {own, theirs}), w, h, source);

        assertThat(weights).hasSize(luma * 3 / 2);
        for (int i = 0; i < luma; i++) {
            assertThat(weights[i] & 0xFF).as("luma %d: no cast to locate", i).isEqualTo(255);
        }
        for (int plane = 0; plane < 2; plane++) {
            int at = luma + plane * chroma;
            assertThat(weights[at + 8 + 3] & 0xFF).as("a sample with the whole cast").isEqualTo(255);
            assertThat(weights[at + 3] & 0xFF).as("the row neither side tinted").isEqualTo(0);
            assertThat(weights[at + 8] & 0xFF).as("the sample with half of it").isBetween(125, 130);
            assertThat(weights[at + 8 * 4 + 3] & 0xFF).as("inside the source, the same both sides: kept as it is").isEqualTo(0);
            assertThat(weights[at + 8 + 7] & 0xFF).as("a difference as large as the cast, against it: the whole map").isEqualTo(255);
            assertThat(weights[at + 8 * 7] & 0xFF).as("a difference that changes from frame to frame: the whole map").isEqualTo(255);
        }
    }

    @Test
    void theMarginsOfARangeOfFramesAreThoseFramesAlone() {
        // frames 48-59 of the first generation, as its end overlap is measured: twelve frames, not the clip up to them
        MediaProbe probe = MediaProbe.using(FfmpegPrograms.locate(), Duration.ofMinutes(1));
        SegmentCut cut = FIRST;
        MediaInfo part = SegmentFinisher.segmentOf(probe.probe(source), cut);
        List<byte[]> frames = MarginColours.measure(new FfmpegProcess(FfmpegPrograms.locate(), Duration.ofMinutes(1)), firstGenerated, part,
                probe.probe(firstGenerated), SPEC, List.of(new long[] {48, 60}, new long[] {0, 12}), dir);
        int frameSize = SPEC.canvasWidth() * SPEC.canvasHeight() * 3 / 2;
        assertThat(frames).extracting(f -> f.length).containsExactly(12 * frameSize, 12 * frameSize);
    }

    @Test
    void aMatchingMapTakesOneSidesMeanAndSpreadToTheTarget() {
        MarginColours.Stats own = new MarginColours.Stats(new double[] {100, 90, 160}, new double[] {20, 8, 8});
        MarginColours.Stats theirs = new MarginColours.Stats(new double[] {120, 150, 100}, new double[] {30, 8, 8});
        MarginColours.Stats target = MarginColours.Stats.midpoint(own, theirs);
        assertThat(target.mean()).containsExactly(110, 120, 130);

        MarginColours.Map map = MarginColours.Map.matching(own, target);

        // Y: mean 100 spread 20 to mean 110 spread 25; U and V: moved 30 levels, their spread kept
        assertThat(map.gain()).containsExactly(new double[] {1.25, 1, 1}, offset(1e-9));
        assertThat(map.apply(0, 100)).isEqualTo(110);
        assertThat(map.apply(0, 120)).isEqualTo(135);
        assertThat(map.apply(1, 90)).isEqualTo(120);
        assertThat(map.apply(2, 160)).isEqualTo(130);
        assertThat(map.apply(2, 250)).as("within 8 bits").isEqualTo(220);
        assertThat(map.expression(1)).isEqualTo("val*1.000000+30.500000");
        assertThat(map.expression(2)).isEqualTo("val*1.000000-29.500000");
    }

    @Test
    void theMapMovesLinearlyBetweenTheOverlapsAndTheClipsOuterEndsKeepTheirColours() {
        MarginColours.Map start = new MarginColours.Map(new double[] {1, 1, 1}, new double[] {0, 12, -6});
        MarginColours.Map end = new MarginColours.Map(new double[] {1, 1, 1}, new double[] {0, -12, 6});
        MarginColours.Plan middle = new MarginColours.Plan(MIDDLE, start, end);
        // frames 0-11 shared with the previous segment, 36-47 with the next: constant there, a straight line between
        assertThat(middle.at(0)).isSameAs(start);
        assertThat(middle.at(11)).isSameAs(start);
        assertThat(middle.at(36)).isSameAs(end);
        assertThat(middle.at(47)).isSameAs(end);
        assertThat(middle.at(12).offset()[1]).isCloseTo(12 - 24.0 / 25, offset(1e-9));
        assertThat(middle.at(23).offset()[1]).isCloseTo(12 - 24.0 * 12 / 25, offset(1e-9));
        String commands = middle.commands(new Rational(24, 1));
        List<String> lines = commands.lines().toList();
        assertThat(lines).as("one command a frame, from the first frame after the shared ones to the first shared with the next")
                .hasSize(25);
        assertThat(lines.get(0)).isEqualTo("0.479167 lutyuv@margins y val*1.000000+0.500000, lutyuv@margins u val*1.000000+11.540000,"
                + " lutyuv@margins v val*1.000000-5.020000;");
        assertThat(lines.get(24)).startsWith("1.479167 ").endsWith("u val*1.000000-11.500000, lutyuv@margins v val*1.000000+6.500000;");

        // the encoded body ended 2.6 levels of U under its composed last frame: the tail starts from there and returns
        MarginColours.Stats composed = new MarginColours.Stats(new double[] {100, 120, 130}, new double[] {9, 9, 9});
        MarginColours.Stats encoded = new MarginColours.Stats(new double[] {100, 117.4, 130}, new double[] {9, 9, 9});
        MarginColours.Plan resumed = middle.withTailFrom(composed, encoded);
        assertThat(resumed.at(35).offset()).as("the body as planned").containsExactly(middle.at(35).offset());
        assertThat(resumed.at(36).offset()[1]).isCloseTo(-12 - 2.6 * 12 / 13, offset(1e-9));
        assertThat(resumed.at(47).offset()[1]).isCloseTo(-12 - 2.6 / 13, offset(1e-9));
        assertThat(resumed.at(36).offset()[2]).isCloseTo(6, offset(1e-9));

        // the first segment starts as generated and reaches its end map on its first shared frame
        MarginColours.Plan first = new MarginColours.Plan(FIRST, MarginColours.Map.IDENTITY, end);
        assertThat(first.at(0)).isSameAs(MarginColours.Map.IDENTITY);
        assertThat(first.at(24).offset()[1]).isCloseTo(-12 * 24.0 / 48, offset(1e-9));
        assertThat(first.at(48)).isSameAs(end);
        assertThat(new MarginColours.Plan(LAST, MarginColours.Map.IDENTITY, MarginColours.Map.IDENTITY).isIdentity()).isTrue();
    }

    @Test
    void finishedNeighboursMeetInTheSameColoursWhereTheyShareFramesAndTheCentreStaysTheSources() throws Exception {
        MarginColours.Neighbour first = new MarginColours.Neighbour(FIRST, firstGenerated);
        MarginColours.Neighbour middle = new MarginColours.Neighbour(MIDDLE, middleGenerated);
        MarginColours.Neighbour last = new MarginColours.Neighbour(LAST, lastGenerated);
        long started = System.nanoTime();
        SegmentPieces plainFirst = finisher.finish(source, FIRST, firstGenerated, SPEC, dir.resolve("plain-first"));
        SegmentPieces plainMiddle = finisher.finish(source, MIDDLE, middleGenerated, SPEC, dir.resolve("plain-middle"));
        long plain = System.nanoTime() - started;
        started = System.nanoTime();
        SegmentPieces matchedFirst = finisher.finish(source, FIRST, firstGenerated, Optional.empty(), Optional.of(middle), SPEC,
                dir.resolve("matched-first"));
        SegmentPieces matchedMiddle = finisher.finish(source, MIDDLE, middleGenerated, Optional.of(first), Optional.of(last), SPEC,
                dir.resolve("matched-middle"));
        long matched = System.nanoTime() - started;
        System.out.printf("margin colours: finishing two segments took %.2fx the time with the match (%d ms) as without (%d ms)%n",
                (double) matched / plain, matched / 1_000_000, plain / 1_000_000);

        MarginColours.Stats apartTail = margins(plainFirst.tail().orElseThrow());
        MarginColours.Stats apartHead = margins(plainMiddle.head().orElseThrow());
        MarginColours.Stats tail = margins(matchedFirst.tail().orElseThrow());
        MarginColours.Stats head = margins(matchedMiddle.head().orElseThrow());
        System.out.printf("margin colours over the shared frames: as generated %s | %s; matched %s | %s%n", apartTail, apartHead,
                tail, head);
        // as generated, the two sides of the overlap are tens of chroma steps apart: what the cross-fade had to hide
        assertThat(Math.abs(apartTail.mean()[1] - apartHead.mean()[1])).isGreaterThan(20);
        assertThat(Math.abs(apartTail.mean()[2] - apartHead.mean()[2])).isGreaterThan(20);
        // matched, both arrive at the same colours, halfway
        for (int c = 0; c < MarginColours.CHANNELS; c++) {
            assertThat(tail.mean()[c]).as("channel %d's mean", c).isCloseTo(head.mean()[c], offset(1.0));
            assertThat(tail.spread()[c]).as("channel %d's spread", c).isCloseTo(head.spread()[c], offset(1.0));
            assertThat(tail.mean()[c]).as("channel %d: halfway", c).isCloseTo((apartTail.mean()[c] + apartHead.mean()[c]) / 2, offset(1.5));
        }
        // and sample for sample: the rows of the source in the margins, which neither generation tinted, were left as they
        // were, so there too the two sides agree (one map for the whole margin would move them by the cast, 20 levels
        // each way, and leave them 40 apart)
        double[] apart = sampleDifference(plainFirst.tail().orElseThrow(), plainMiddle.head().orElseThrow());
        double[] together = sampleDifference(matchedFirst.tail().orElseThrow(), matchedMiddle.head().orElseThrow());
        System.out.printf("margin colours: mean sample difference of the overlap's two sides (Y, U, V) as generated %s, matched %s%n",
                java.util.Arrays.toString(apart), java.util.Arrays.toString(together));
        assertThat(apart[1]).isGreaterThan(25);
        for (int c = 0; c < MarginColours.CHANNELS; c++) {
            assertThat(together[c]).as("channel %d, sample for sample", c).isLessThan(2.5);
        }
        // only the margins moved: the centre is the source's frames, bit for bit
        assertThat(FinishClips.frameMd5s(matchedMiddle.head().orElseThrow(), CENTRE))
                .isEqualTo(FinishClips.frameMd5s(source, "trim=start_frame=48:end_frame=60," + CENTRE_OF_SOURCE));
        // finishing again (an answer lost) gives the same pieces
        SegmentPieces again = finisher.finish(source, MIDDLE, middleGenerated, Optional.of(first), Optional.of(last), SPEC,
                dir.resolve("matched-middle-again"));
        assertThat(FinishClips.frameMd5s(again.head().orElseThrow(), "null"))
                .isEqualTo(FinishClips.frameMd5s(matchedMiddle.head().orElseThrow(), "null"));
        try (var files = Files.list(dir.resolve("matched-middle"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SegmentPieces.HEAD, SegmentPieces.BODY, SegmentPieces.TAIL);
        }
    }

    /** Per channel, the mean absolute difference of two pieces' margin samples, frame for frame and place for place. */
    private static double[] sampleDifference(Path a, Path b) throws Exception {
        byte[] one = raw(a);
        byte[] two = raw(b);
        assertThat(one).hasSameSizeAs(two);
        int w = SPEC.canvasWidth();
        int h = SPEC.canvasHeight();
        int frame = w * h * 3 / 2;
        double[] sum = new double[MarginColours.CHANNELS];
        long[] count = new long[MarginColours.CHANNELS];
        FinishSpec.Rect s = SPEC.source();
        for (int f = 0; f < one.length; f += frame) {
            for (int c = 0; c < MarginColours.CHANNELS; c++) {
                int sub = c == 0 ? 1 : 2;
                int pw = w / sub;
                int offset = f + (c == 0 ? 0 : w * h + (c - 1) * (w * h / 4));
                for (int y = 0; y < h / sub; y++) {
                    if (y * sub + sub > s.y() && y * sub < s.y() + s.height()) {
                        continue; // the margins are the rows above and below the source here
                    }
                    for (int x = 0; x < pw; x++) {
                        sum[c] += Math.abs((one[offset + y * pw + x] & 0xFF) - (two[offset + y * pw + x] & 0xFF));
                        count[c]++;
                    }
                }
            }
        }
        for (int c = 0; c < MarginColours.CHANNELS; c++) {
            sum[c] /= count[c];
        }
        return sum;
    }

    private static byte[] raw(Path piece) throws Exception {
        Path raw = dir.resolve(piece.getParent().getFileName() + "-" + piece.getFileName() + ".yuv");
        FinishClips.FFMPEG.ffmpeg("decode " + piece.getFileName(), List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-i", piece.toString(), "-f", "rawvideo", "-pix_fmt", "yuv420p", raw.toString()));
        return Files.readAllBytes(raw);
    }

    private static MarginColours.Stats margins(Path piece) throws Exception {
        Path raw = dir.resolve(piece.getParent().getFileName() + "-" + piece.getFileName() + ".yuv");
        FinishClips.FFMPEG.ffmpeg("decode " + piece.getFileName(), List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-i", piece.toString(), "-f", "rawvideo", "-pix_fmt", "yuv420p", raw.toString()));
        return MarginColours.of(Files.readAllBytes(raw), SPEC.canvasWidth(), SPEC.canvasHeight(), SPEC.source());
    }
}
