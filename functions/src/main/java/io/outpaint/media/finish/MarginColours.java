package io.outpaint.media.finish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The colour match of one segment's generated margins with its neighbours'. Two generations colour their margins
 * each its own way (a cast, a contrast), and a cross-fade over a few shared frames only spreads such a jump, it does
 * not remove it. So, before the composite, each segment's margins are mapped per channel (Y, U, V) by an affine map
 * {@code val * gain + offset} that brings their mean and spread over the frames it shares with a neighbour to the
 * midpoint of the two sides' (the same frames measured in the neighbour's generation): both sides then arrive at the
 * same colours there, and the cross-fade has nothing to hide. The two sides are measured sample for sample over those
 * frames ({@link #paired}), over the samples that carry the cast, so that a part of the margins neither generation
 * tinted does not pass for a contrast. Between its two overlaps the map moves linearly, frame by
 * frame, from the one to the other; a clip's outer ends (the first segment's start, the last one's end) keep their
 * colours. Only the margins change: the original is laid over the mapped generation.
 *
 * <p>The maps come from the raw generations alone (the segments' own and their neighbours'), so finishing a segment
 * again gives the same pieces.
 */
final class MarginColours {

    /** The three channels, in the planes' order. */
    static final int CHANNELS = 3;
    /** The FFmpeg filter instance the per-frame commands reach. */
    static final String FILTER = "lutyuv@margins";
    /** A spread below this (a flat margin) gives no scale to match: only the mean is moved. */
    private static final double FLAT = 1.0;
    /** How far a spread may be scaled, either way: a model's contrast differs by less, a measurement gone wrong by more. */
    private static final double MAX_GAIN = 2.0;
    /** Two sides' samples whose difference is within this many levels of the typical one are taken to show one cast. */
    static final int AGREE_LEVELS = 4;

    private MarginColours() {}

    /** Per channel (Y, U, V): the mean and the spread (standard deviation) of margin samples, 8-bit levels. */
    record Stats(double[] mean, double[] spread) {
        Stats {
            if (mean.length != CHANNELS || spread.length != CHANNELS) {
                throw new IllegalArgumentException("stats have a mean and a spread for each of Y, U and V");
            }
        }

        /** Halfway between two sides, channel by channel: where both meet. */
        static Stats midpoint(Stats a, Stats b) {
            double[] mean = new double[CHANNELS];
            double[] spread = new double[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                mean[c] = (a.mean[c] + b.mean[c]) / 2;
                spread[c] = (a.spread[c] + b.spread[c]) / 2;
            }
            return new Stats(mean, spread);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Y %.1f±%.1f U %.1f±%.1f V %.1f±%.1f", mean[0], spread[0], mean[1], spread[1], mean[2],
                    spread[2]);
        }
    }

    /** Per channel, {@code out = val * gain + offset}. */
    record Map(double[] gain, double[] offset) {
        static final Map IDENTITY = new Map(new double[] {1, 1, 1}, new double[] {0, 0, 0});

        /** The map that takes samples of {@code own} statistics to {@code target}'s. */
        static Map matching(Stats own, Stats target) {
            double[] gain = new double[CHANNELS];
            double[] offset = new double[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                gain[c] = own.spread[c] < FLAT || target.spread[c] < FLAT ? 1
                        : Math.max(1 / MAX_GAIN, Math.min(MAX_GAIN, target.spread[c] / own.spread[c]));
                offset[c] = target.mean[c] - gain[c] * own.mean[c];
            }
            return new Map(gain, offset);
        }

        /** The map {@code p} of the way (0 to 1) from this one to {@code to}. */
        Map towards(Map to, double p) {
            double[] gain = new double[CHANNELS];
            double[] offset = new double[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                gain[c] = gain()[c] + (to.gain[c] - gain()[c]) * p;
                offset[c] = offset()[c] + (to.offset[c] - offset()[c]) * p;
            }
            return new Map(gain, offset);
        }

        /** Sample {@code val} of channel {@code c} as the map (and lutyuv: rounded, within 8 bits) makes it. */
        int apply(int c, int val) {
            return (int) Math.max(0, Math.min(255, Math.floor(val * gain[c] + offset[c] + 0.5)));
        }

        /** lutyuv's expression for channel {@code c}: rounded (lutyuv truncates), with no character a filter graph quotes. */
        String expression(int c) {
            return String.format(Locale.ROOT, "val*%.6f%+.6f", gain[c], offset[c] + 0.5);
        }

        boolean sameAs(Map other) {
            for (int c = 0; c < CHANNELS; c++) {
                if (Math.abs(gain[c] - other.gain[c]) > 1e-6 || Math.abs(offset[c] - other.offset[c]) > 1e-6) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A segment's maps: {@code start} over the frames it shares with the previous segment, {@code end} over those it
     * shares with the next, and between them a linear move from the one to the other. The first segment's start and
     * the last one's end are the identity (nothing to meet there), reached at their first and last frame.
     */
    record Plan(SegmentCut cut, Map start, Map end, double[] tailLag, Optional<byte[]> weights) {

        Plan(SegmentCut cut, Map start, Map end) {
            this(cut, start, end, new double[CHANNELS], Optional.empty());
        }

        /** This plan with {@code weights} (one raw yuv420p frame): how much of the map each sample takes, 0 to 255. */
        Plan withWeights(byte[] weights) {
            return new Plan(cut, start, end, tailLag, Optional.of(weights));
        }

        /**
         * This plan with its tail starting where the encoded body ended: {@code planned} is the body's last frame as
         * composed, {@code encoded} as its encoder left it. The difference of their means is taken off the tail's first
         * frame and less and less off the next ones, down to a last share of 1 / (tail + 1): the cross-fade, which fades
         * the tail out, takes it the rest of the way.
         */
        Plan withTailFrom(Stats planned, Stats encoded) {
            double[] lag = new double[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                lag[c] = planned.mean()[c] - encoded.mean()[c];
            }
            return new Plan(cut, start, end, lag, weights);
        }

        /** The map of the segment's frame {@code k} (0 its first). */
        Map at(long k) {
            long from = cut.headFrames() > 0 ? cut.headFrames() - 1 : 0;
            long to = cut.tailFrames() > 0 ? cut.frames() - cut.tailFrames() : cut.frames() - 1;
            if (k <= from || to <= from) {
                return start;
            }
            if (k >= to) {
                long tailFrame = k - (cut.frames() - cut.tailFrames());
                if (cut.tailFrames() == 0 || tailFrame < 0 || isZero(tailLag)) {
                    return end;
                }
                double share = (double) (cut.tailFrames() - tailFrame) / (cut.tailFrames() + 1);
                double[] offset = new double[CHANNELS];
                for (int c = 0; c < CHANNELS; c++) {
                    offset[c] = end.offset()[c] - tailLag[c] * share;
                }
                return new Map(end.gain(), offset);
            }
            return start.towards(end, (double) (k - from) / (to - from));
        }

        private static boolean isZero(double[] values) {
            for (double v : values) {
                if (v != 0) {
                    return false;
                }
            }
            return true;
        }

        boolean isIdentity() {
            return start.sameAs(Map.IDENTITY) && end.sameAs(Map.IDENTITY);
        }

        /** The lutyuv that maps the first frame, for the chain after the generation. */
        String filter(Optional<Path> commands) {
            Map first = at(0);
            return commands.map(f -> "sendcmd=f=" + FinishGraph.escapeOption(f.toString()) + ",").orElse("") + FILTER + "=y="
                    + first.expression(0) + ":u=" + first.expression(1) + ":v=" + first.expression(2);
        }

        /**
         * sendcmd's script: at each frame whose map differs from the frame before's, the three new expressions, sent
         * halfway between the two frames' times (a frame's time never lands on a boundary by rounding).
         */
        String commands(Rational fps) {
            StringBuilder script = new StringBuilder();
            Map previous = at(0);
            for (long k = 1; k < cut.frames(); k++) {
                Map now = at(k);
                if (now.sameAs(previous)) {
                    continue;
                }
                script.append(String.format(Locale.ROOT, "%.6f", (k - 0.5) * fps.den() / fps.num()));
                for (int c = 0; c < CHANNELS; c++) {
                    script.append(c == 0 ? " " : ", ").append(FILTER).append(' ').append("yuv".charAt(c)).append(' ').append(now.expression(c));
                }
                script.append(";\n");
                previous = now;
            }
            return script.toString();
        }
    }

    /** A neighbouring segment: its place and its raw generation. */
    record Neighbour(SegmentCut cut, Path generated) {}

    /**
     * The plan of {@code cut}'s margins against its neighbours: each overlap's target the midpoint of the two sides'
     * statistics over the frames they share, taken sample for sample ({@link #paired}).
     */
    static Plan plan(FfmpegProcess process, MediaProbe probe, MediaInfo whole, SegmentCut cut, Path generated,
                     Optional<Neighbour> previous, Optional<Neighbour> next, FinishSpec spec, Path scratch) {
        Map start = Map.IDENTITY;
        Map end = Map.IDENTITY;
        boolean matchStart = previous.isPresent() && cut.headFrames() > 0;
        boolean matchEnd = next.isPresent() && cut.tailFrames() > 0;
        if (!matchStart && !matchEnd) {
            return new Plan(cut, start, end);
        }
        // its own generation read once for both overlaps; each neighbour's for the frames it shares
        List<long[]> ranges = new ArrayList<>();
        if (matchStart) {
            ranges.add(new long[] {0, cut.headFrames()});
        }
        if (matchEnd) {
            ranges.add(new long[] {cut.frames() - cut.tailFrames(), cut.frames()});
        }
        List<byte[][]> casts = new ArrayList<>();
        List<byte[]> own = measure(process, generated, SegmentFinisher.segmentOf(whole, cut), probe.probe(generated), spec, ranges,
                scratch);
        if (matchStart) {
            SegmentCut p = previous.get().cut();
            byte[] theirs = measure(process, previous.get().generated(), SegmentFinisher.segmentOf(whole, p),
                    probe.probe(previous.get().generated()), spec, List.of(new long[] {p.frames() - p.tailFrames(), p.frames()}),
                    scratch).get(0);
            Stats[] both = paired(own.get(0), theirs, spec.canvasWidth(), spec.canvasHeight(), spec.source());
            start = Map.matching(both[0], Stats.midpoint(both[0], both[1]));
            casts.add(new byte[][] {own.get(0), theirs});
        }
        if (matchEnd) {
            SegmentCut n = next.get().cut();
            byte[] theirs = measure(process, next.get().generated(), SegmentFinisher.segmentOf(whole, n), probe.probe(next.get().generated()),
                    spec, List.of(new long[] {0, n.headFrames()}), scratch).get(0);
            Stats[] both = paired(own.get(own.size() - 1), theirs, spec.canvasWidth(), spec.canvasHeight(), spec.source());
            end = Map.matching(both[0], Stats.midpoint(both[0], both[1]));
            casts.add(new byte[][] {own.get(own.size() - 1), theirs});
        }
        return new Plan(cut, start, end).withWeights(weights(casts, spec.canvasWidth(), spec.canvasHeight(), spec.source()));
    }

    /**
     * A generation's frames in each of {@code ranges} ({@code [from, to)}), raw yuv420p on the canvas as the finish puts
     * them there (the generation stretched over {@code part}'s frames, scaled, at its rate), in one read.
     */
    static List<byte[]> measure(FfmpegProcess process, Path generated, MediaInfo part, MediaInfo gen, FinishSpec spec,
                               List<long[]> ranges, Path scratch) {
        StringBuilder graph = new StringBuilder("[0:v]").append(FinishGraph.generation(part, gen, spec)).append(",split=")
                .append(ranges.size());
        for (int r = 0; r < ranges.size(); r++) {
            graph.append("[r").append(r).append(']');
        }
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", generated.toString()));
        List<Path> raws = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int r = 0; r < ranges.size(); r++) {
            graph.append(";[r").append(r).append("]trim=start_frame=").append(ranges.get(r)[0]).append(":end_frame=")
                    .append(ranges.get(r)[1])
                    // from time 0: a raw output is written at a constant rate, and would repeat the range's first frame
                    // from the clip's start up to it
                    .append(",setpts=PTS-STARTPTS[m").append(r).append(']');
            Path raw = scratch.resolve("margins-" + r + "-" + generated.getFileName() + ".yuv");
            raws.add(raw);
            outputs.addAll(List.of("-map", "[m" + r + "]", "-f", "rawvideo", "-pix_fmt", "yuv420p", raw.toString()));
        }
        args.addAll(List.of("-filter_complex", graph.toString()));
        args.addAll(outputs);
        try {
            process.ffmpeg("measure the margins of " + generated.getFileName(), args);
            List<byte[]> frames = new ArrayList<>();
            for (Path raw : raws) {
                frames.add(Files.readAllBytes(raw));
            }
            return frames;
        } catch (IOException e) {
            throw new FinishFailedException("measure the margins of " + generated.getFileName() + ": " + e.getMessage(), e);
        } finally {
            for (Path raw : raws) {
                try {
                    Files.deleteIfExists(raw);
                } catch (IOException e) {
                    // left in the segment's own folder, which its caller empties
                }
            }
        }
    }

    /** The margins' statistics of the last frame of an encoded {@code video}, decoded through {@code scratch}. */
    static Stats lastFrame(FfmpegProcess process, Path video, FinishSpec spec, Path scratch) {
        try {
            process.ffmpeg("measure the last frame of " + video.getFileName(), List.of("-hide_banner", "-nostdin", "-y", "-loglevel",
                    "error", "-i", video.toString(), "-map", "0:v:0", "-update", "1", "-f", "image2", "-c:v", "rawvideo", "-pix_fmt",
                    "yuv420p", scratch.toString()));
            return of(Files.readAllBytes(scratch), spec.canvasWidth(), spec.canvasHeight(), spec.source());
        } catch (IOException e) {
            throw new FinishFailedException("measure the last frame of " + video.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The statistics of two generations' margins over the same frames ({@code own} and {@code theirs}, raw yuv420p of
     * {@code width x height}, sample for sample the same places), over the samples where the two differ as most do.
     * Both show the same pictures there, so a cast shows as one difference (a contrast as one that grows with the
     * level) across most of the margins; where the two already agree instead (a part neither generation tinted, such
     * as the source's rows stretched into a margin, a mark), no one map can serve both, and those samples, counted in,
     * would pull the means apart and make a spread no cast has. So per channel the typical difference is the median of
     * the sample-for-sample differences, and a sample counts when its difference lies within {@link #AGREE_LEVELS}
     * levels, or three robust standard deviations, of it; both sides are measured over the same samples.
     *
     * @return {@code own}'s statistics and {@code theirs}', in that order
     */
    static Stats[] paired(byte[] own, byte[] theirs, int width, int height, FinishSpec.Rect source) {
        int[][] cast = cast(own, theirs, width, height, source);
        int[] typical = cast[0];
        int[] tolerance = cast[1];
        double[][] sum = new double[2][CHANNELS];
        double[][] squares = new double[2][CHANNELS];
        long[][] count = new long[2][CHANNELS];
        forEachMarginSample(own.length, width, height, source, (c, i) -> {
            int mine = own[i] & 0xFF;
            int their = theirs[i] & 0xFF;
            if (Math.abs(their - mine - typical[c]) <= tolerance[c]) {
                add(mine, c, sum[0], squares[0], count[0]);
                add(their, c, sum[1], squares[1], count[1]);
            }
        });
        return new Stats[] {stats(sum[0], squares[0], count[0], width, height, source), stats(sum[1], squares[1], count[1], width, height,
                source)};
    }

    /**
     * Per channel, the typical sample-for-sample difference of {@code theirs} from {@code own} over the margins (the
     * cast: the median) and how far from it a sample may lie and still show it ({@link #AGREE_LEVELS}, or three robust
     * standard deviations).
     *
     * @return the typical differences and the tolerances, in that order
     */
    static int[][] cast(byte[] own, byte[] theirs, int width, int height, FinishSpec.Rect source) {
        if (own.length != theirs.length) {
            throw new FinishFailedException("margins: the two sides have " + own.length + " and " + theirs.length + " bytes, not the same frames");
        }
        long[][] differences = new long[CHANNELS][511];
        forEachMarginSample(own.length, width, height, source, (c, i) -> differences[c][(theirs[i] & 0xFF) - (own[i] & 0xFF) + 255]++);
        int[] typical = new int[CHANNELS];
        int[] tolerance = new int[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            typical[c] = medianBin(differences[c]) - 255;
            long[] away = new long[511];
            for (int d = 0; d < differences[c].length; d++) {
                away[Math.abs(d - 255 - typical[c])] += differences[c][d];
            }
            tolerance[c] = (int) Math.max(AGREE_LEVELS, Math.ceil(3 * 1.4826 * medianBin(away)));
        }
        return new int[][] {typical, tolerance};
    }

    /**
     * How much of the map each sample of the picture takes (one raw yuv420p frame of weights, 0 to 255): as much as it
     * carries of the cast. Over the frames a segment shares with a neighbour ({@code casts}: its own and the
     * neighbour's, as in {@link #paired}), the size of a sample's mean difference between the two, against the size of
     * the channel's typical difference (the cast), is the share of the cast it carries: all of it in most of the
     * margins, none where the two already agree (the source's rows a window's scale stretches into a margin, a mark,
     * the source under the seam's feather), a part where a chroma sample or a filter's reach straddles the two. A single
     * map moved such a sample as far as the rest and opened there the step it closed elsewhere. Both overlaps count,
     * each by its cast's size. A difference as large as the cast or larger, whichever its sign, and one that changes
     * from frame to frame by more than the cast's tolerance ({@link #cast}), is two generations painting different
     * things there (a model's margins do, in most places), not a colour: such a sample takes the whole map, as the rest
     * of the margins do, so that only samples where the two generations show the same picture are left as they are. A
     * channel whose casts are all under {@link #AGREE_LEVELS} levels has nothing to locate and takes its map everywhere.
     */
    static byte[] weights(List<byte[][]> casts, int width, int height, FinishSpec.Rect source) {
        int frame = width * height * 3 / 2;
        int luma = width * height;
        int chroma = luma / 4;
        double[] carried = new double[frame];
        double[] scale = new double[CHANNELS];
        List<int[][]> measured = new ArrayList<>();
        List<float[][]> differences = new ArrayList<>(); // per overlap: each sample's mean difference, and its spread
        for (byte[][] pair : casts) {
            byte[] own = pair[0];
            byte[] theirs = pair[1];
            int[][] cast = cast(own, theirs, width, height, source);
            int frames = own.length / frame;
            float[] mean = new float[frame];
            for (int f = 0; f < own.length; f += frame) {
                for (int i = 0; i < frame; i++) {
                    mean[i] += (theirs[f + i] & 0xFF) - (own[f + i] & 0xFF);
                }
            }
            float[] unsteady = new float[frame];
            for (int i = 0; i < frame; i++) {
                mean[i] /= frames;
            }
            for (int f = 0; f < own.length; f += frame) {
                for (int i = 0; i < frame; i++) {
                    unsteady[i] += Math.abs((theirs[f + i] & 0xFF) - (own[f + i] & 0xFF) - mean[i]) / frames;
                }
            }
            int[] typical = cast[0];
            for (int i = 0; i < frame; i++) {
                int c = channel(i, luma, chroma);
                if (Math.abs(typical[c]) >= AGREE_LEVELS) {
                    carried[i] += Math.abs(mean[i] * typical[c]);
                }
            }
            for (int c = 0; c < CHANNELS; c++) {
                if (Math.abs(typical[c]) >= AGREE_LEVELS) {
                    scale[c] += (double) typical[c] * typical[c];
                }
            }
            measured.add(cast);
            differences.add(new float[][] {mean, unsteady});
        }
        byte[] weights = new byte[frame];
        for (int i = 0; i < frame; i++) {
            int c = channel(i, luma, chroma);
            double share = scale[c] == 0 ? 1 : Math.max(0, Math.min(1, carried[i] / scale[c]));
            for (int o = 0; o < measured.size() && share < 1; o++) {
                int typical = measured.get(o)[0][c];
                int tolerance = measured.get(o)[1][c];
                if (Math.abs(typical) >= AGREE_LEVELS && differences.get(o)[1][i] > tolerance) {
                    share = 1;
                }
            }
            weights[i] = (byte) Math.round(share * 255);
        }
        return weights;
    }

    /** The channel of byte {@code i} of a raw yuv420p frame whose luma plane is {@code luma} bytes, each chroma plane {@code chroma}. */
    private static int channel(int i, int luma, int chroma) {
        return i < luma ? 0 : i < luma + chroma ? 1 : 2;
    }

    /** The bin that holds the middle of a histogram's counts (the lower one of two). */
    private static int medianBin(long[] histogram) {
        long total = 0;
        for (long n : histogram) {
            total += n;
        }
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (2 * seen >= total) {
                return b;
            }
        }
        return 0;
    }

    /** Sample {@code i} (an index into the raw frames) of channel {@code c}, for each margin sample. */
    private interface SampleVisitor {
        void visit(int c, int i);
    }

    /**
     * Visits the margin samples (everything outside {@code source}) of {@code bytes} of raw yuv420p frames of {@code width x
     * height}: a chroma sample counts when its whole 2x2 block of luma lies outside.
     */
    private static void forEachMarginSample(int bytes, int width, int height, FinishSpec.Rect source, SampleVisitor visitor) {
        int chromaWidth = width / 2;
        int chromaHeight = height / 2;
        int frameSize = width * height + 2 * chromaWidth * chromaHeight;
        if (bytes == 0 || bytes % frameSize != 0) {
            throw new FinishFailedException("margins: " + bytes + " bytes are not whole " + width + "x" + height + " frames");
        }
        int right = source.x() + source.width();
        int bottom = source.y() + source.height();
        for (int f = 0; f < bytes; f += frameSize) {
            for (int y = 0; y < height; y++) {
                boolean rowOutside = y < source.y() || y >= bottom;
                for (int x = 0; x < width; x++) {
                    if (rowOutside || x < source.x() || x >= right) {
                        visitor.visit(0, f + y * width + x);
                    }
                }
            }
            for (int c = 1; c < CHANNELS; c++) {
                int plane = f + width * height + (c - 1) * chromaWidth * chromaHeight;
                for (int y = 0; y < chromaHeight; y++) {
                    boolean rowOutside = 2 * y + 2 <= source.y() || 2 * y >= bottom;
                    for (int x = 0; x < chromaWidth; x++) {
                        if (rowOutside || 2 * x + 2 <= source.x() || 2 * x >= right) {
                            visitor.visit(c, plane + y * chromaWidth + x);
                        }
                    }
                }
            }
        }
    }

    /**
     * The statistics of the margins (everything outside {@code source}) of raw yuv420p {@code frames} of {@code width x
     * height}: a chroma sample counts when its whole 2x2 block of luma lies outside.
     */
    static Stats of(byte[] frames, int width, int height, FinishSpec.Rect source) {
        double[] sum = new double[CHANNELS];
        double[] squares = new double[CHANNELS];
        long[] count = new long[CHANNELS];
        forEachMarginSample(frames.length, width, height, source, (c, i) -> add(frames[i] & 0xFF, c, sum, squares, count));
        return stats(sum, squares, count, width, height, source);
    }

    private static Stats stats(double[] sum, double[] squares, long[] count, int width, int height, FinishSpec.Rect source) {
        double[] mean = new double[CHANNELS];
        double[] spread = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            if (count[c] == 0) {
                throw new FinishFailedException("margins: the source " + source + " leaves no margin in the " + width + "x" + height
                        + " picture");
            }
            mean[c] = sum[c] / count[c];
            spread[c] = Math.sqrt(Math.max(0, squares[c] / count[c] - mean[c] * mean[c]));
        }
        return new Stats(mean, spread);
    }

    private static void add(int value, int c, double[] sum, double[] squares, long[] count) {
        sum[c] += value;
        squares[c] += (double) value * value;
        count[c]++;
    }

    /** Writes the plan's weights to {@code file} (raw yuv420p, one frame), if it has any. */
    static Optional<Path> writeWeights(Plan plan, Path file) throws IOException {
        if (plan.isIdentity() || plan.weights().isEmpty()) {
            return Optional.empty();
        }
        Files.write(file, plan.weights().get());
        return Optional.of(file);
    }

    /**
     * The chain that applies {@code plan} to the generation (nothing for the identity), its commands, when the map
     * moves, written to {@code file}.
     */
    static String chain(Plan plan, Rational fps, Path file) throws IOException {
        if (plan.isIdentity()) {
            return "";
        }
        String commands = plan.commands(fps);
        if (commands.isEmpty()) {
            return plan.filter(Optional.empty());
        }
        Files.writeString(file, commands, StandardCharsets.UTF_8);
        return plan.filter(Optional.of(file));
    }
}
