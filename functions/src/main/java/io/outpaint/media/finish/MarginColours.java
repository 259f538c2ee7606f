package io.outpaint.media.finish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    record Plan(SegmentCut cut, Map start, Map end) {

        /** The map of the segment's frame {@code k} (0 its first). */
        Map at(long k) {
            long from = cut.headFrames() > 0 ? cut.headFrames() - 1 : 0;
            long to = cut.tailFrames() > 0 ? cut.frames() - cut.tailFrames() : cut.frames() - 1;
            if (k <= from || to <= from) {
                return start;
            }
            if (k >= to) {
                return end;
            }
            return start.towards(end, (double) (k - from) / (to - from));
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
        MediaInfo gen = probe.probe(generated);
        if (previous.isPresent() && cut.headFrames() > 0) {
            Neighbour p = previous.get();
            Stats own = measure(process, generated, SegmentFinisher.segmentOf(whole, cut), gen, spec, 0, cut.headFrames(), scratch);
            Stats theirs = measure(process, p.generated(), SegmentFinisher.segmentOf(whole, p.cut()), probe.probe(p.generated()), spec,
                    p.cut().frames() - p.cut().tailFrames(), p.cut().frames(), scratch);
            start = Map.matching(own, Stats.midpoint(own, theirs));
        }
        if (next.isPresent() && cut.tailFrames() > 0) {
            Neighbour n = next.get();
            Stats own = measure(process, generated, SegmentFinisher.segmentOf(whole, cut), gen, spec, cut.frames() - cut.tailFrames(),
                    cut.frames(), scratch);
            Stats theirs = measure(process, n.generated(), SegmentFinisher.segmentOf(whole, n.cut()), probe.probe(n.generated()), spec,
                    0, n.cut().headFrames(), scratch);
            end = Map.matching(own, Stats.midpoint(own, theirs));
        }
        return new Plan(cut, start, end);
    }

    /**
     * The margins' statistics of a generation's frames {@code [from, to)} as the finish puts them on the canvas (the
     * generation stretched over {@code part}'s frames, scaled, at its rate).
     */
    static Stats measure(FfmpegProcess process, Path generated, MediaInfo part, MediaInfo gen, FinishSpec spec, long from, long to,
                         Path scratch) {
        Path raw = scratch.resolve("margins-" + from + "-" + to + "-" + generated.getFileName() + ".yuv");
        try {
            process.ffmpeg("measure the margins of " + generated.getFileName(), List.of("-hide_banner", "-nostdin", "-y", "-loglevel",
                    "error", "-i", generated.toString(), "-filter_complex", "[0:v]" + FinishGraph.generation(part, gen, spec)
                            + ",trim=start_frame=" + from + ":end_frame=" + to + "[v]", "-map", "[v]", "-f", "rawvideo", "-pix_fmt",
                    "yuv420p", raw.toString()));
            return of(Files.readAllBytes(raw), spec.canvasWidth(), spec.canvasHeight(), spec.source());
        } catch (IOException e) {
            throw new FinishFailedException("measure the margins of " + generated.getFileName() + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(raw);
            } catch (IOException e) {
                // left in the segment's own folder, which its caller empties
            }
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
