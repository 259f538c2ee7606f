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
 * same colours there, and the cross-fade has nothing to hide. Between its two overlaps the map moves linearly, frame by
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
    record Plan(SegmentCut cut, Map start, Map end, double[] tailLag) {

        Plan(SegmentCut cut, Map start, Map end) {
            this(cut, start, end, new double[CHANNELS]);
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
            return new Plan(cut, start, end, lag);
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
     * statistics over the frames they share.
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
        List<Stats> own = measure(process, generated, SegmentFinisher.segmentOf(whole, cut), probe.probe(generated), spec, ranges,
                scratch);
        if (matchStart) {
            SegmentCut p = previous.get().cut();
            Stats theirs = measure(process, previous.get().generated(), SegmentFinisher.segmentOf(whole, p),
                    probe.probe(previous.get().generated()), spec, List.of(new long[] {p.frames() - p.tailFrames(), p.frames()}),
                    scratch).get(0);
            start = Map.matching(own.get(0), Stats.midpoint(own.get(0), theirs));
        }
        if (matchEnd) {
            SegmentCut n = next.get().cut();
            Stats theirs = measure(process, next.get().generated(), SegmentFinisher.segmentOf(whole, n), probe.probe(next.get().generated()),
                    spec, List.of(new long[] {0, n.headFrames()}), scratch).get(0);
            Stats mine = own.get(own.size() - 1);
            end = Map.matching(mine, Stats.midpoint(mine, theirs));
        }
        return new Plan(cut, start, end);
    }

    /**
     * The margins' statistics of a generation's frames in each of {@code ranges} ({@code [from, to)}), as the finish
     * puts them on the canvas (the generation stretched over {@code part}'s frames, scaled, at its rate), in one read.
     */
    static List<Stats> measure(FfmpegProcess process, Path generated, MediaInfo part, MediaInfo gen, FinishSpec spec,
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
                    .append(ranges.get(r)[1]).append("[m").append(r).append(']');
            Path raw = scratch.resolve("margins-" + r + "-" + generated.getFileName() + ".yuv");
            raws.add(raw);
            outputs.addAll(List.of("-map", "[m" + r + "]", "-f", "rawvideo", "-pix_fmt", "yuv420p", raw.toString()));
        }
        args.addAll(List.of("-filter_complex", graph.toString()));
        args.addAll(outputs);
        try {
            process.ffmpeg("measure the margins of " + generated.getFileName(), args);
            List<Stats> stats = new ArrayList<>();
            for (Path raw : raws) {
                stats.add(of(Files.readAllBytes(raw), spec.canvasWidth(), spec.canvasHeight(), spec.source()));
            }
            return stats;
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
     * The statistics of the margins (everything outside {@code source}) of raw yuv420p {@code frames} of {@code width x
     * height}: a chroma sample counts when its whole 2x2 block of luma lies outside.
     */
    static Stats of(byte[] frames, int width, int height, FinishSpec.Rect source) {
        int chromaWidth = width / 2;
        int chromaHeight = height / 2;
        int frameSize = width * height + 2 * chromaWidth * chromaHeight;
        if (frames.length == 0 || frames.length % frameSize != 0) {
            throw new FinishFailedException("margins: " + frames.length + " bytes are not whole " + width + "x" + height + " frames");
        }
        double[] sum = new double[CHANNELS];
        double[] squares = new double[CHANNELS];
        long[] count = new long[CHANNELS];
        int right = source.x() + source.width();
        int bottom = source.y() + source.height();
        for (int f = 0; f < frames.length; f += frameSize) {
            for (int y = 0; y < height; y++) {
                boolean rowOutside = y < source.y() || y >= bottom;
                for (int x = 0; x < width; x++) {
                    if (rowOutside || x < source.x() || x >= right) {
                        add(frames[f + y * width + x] & 0xFF, 0, sum, squares, count);
                    }
                }
            }
            for (int c = 1; c < CHANNELS; c++) {
                int plane = f + width * height + (c - 1) * chromaWidth * chromaHeight;
                for (int y = 0; y < chromaHeight; y++) {
                    boolean rowOutside = 2 * y + 2 <= source.y() || 2 * y >= bottom;
                    for (int x = 0; x < chromaWidth; x++) {
                        if (rowOutside || 2 * x + 2 <= source.x() || 2 * x >= right) {
                            add(frames[plane + y * chromaWidth + x] & 0xFF, c, sum, squares, count);
                        }
                    }
                }
            }
        }
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
