package io.outpaint.media.finish;

import java.util.List;
import java.util.Optional;

/**
 * The pace of a cross-fade: how far each frame two segments share has gone from the earlier segment's picture to the
 * later one's, chosen so that no step of the margins across the overlap is larger than it must be.
 *
 * <p>Where two generations meet, their margins differ (two generations paint different things), and a cross-fade
 * spreads that difference over the shared frames. An even pace adds the same share of it to every step, on top of the
 * margins' own motion; but the motion is uneven from frame to frame (a 16 fps generation conformed to 24 fps repeats
 * every third frame, the two segments' repeats fall on different frames, and the steps into and out of the overlap
 * carry the change of coding), so an even fade piles its share onto the largest steps too. Here the fade moves on
 * where the margins move least and holds where they move most: of every monotone pace on a grid of {@code levels}
 * (which holds the even pace), the one whose largest step is the smallest, then the one whose steps are the most even.
 * A step is measured as {@link SeamMetric} sees it, the mean absolute difference of the margins' RGB samples from one
 * frame to the next, on a sample of the margins, over the frame before the overlap, the shared frames mixed, and the
 * frame after.
 *
 * <p>The centre (the source's pixels, the same in both segments) is not touched by any pace.
 */
final class FadePace {

    /** The mixes the search computes at most, sample points x pairs of levels x steps: about a second of arithmetic. */
    private static final long WORK = 60_000_000L;
    private static final int MOST_POINTS = 4000;
    private static final int FEWEST_POINTS = 500;

    /**
     * The margins' steps around one overlap, as sampled: step {@code k} (0 to frames) between mixed frame k - 1 and k
     * (frame -1 the earlier segment's last own frame, frame {@code frames} the later one's first) is
     * {@code p[k] + v * q[k] - u * r[k]} per RGB sample, for the later segment's weights u at frame k - 1 and v at k.
     */
    record Steps(float[][] p, float[][] q, float[][] r) {
        int frames() {
            return p.length - 1;
        }

        /** The mean absolute RGB difference of step k at weights u (frame k - 1) and v (frame k). */
        double at(int k, double u, double v) {
            float[] pk = p[k];
            float[] qk = q[k];
            float[] rk = r[k];
            float fu = (float) u;
            float fv = (float) v;
            double sum = 0;
            for (int i = 0; i < pk.length; i++) {
                sum += Math.abs(pk[i] + fv * qk[i] - fu * rk[i]);
            }
            return sum / pk.length;
        }
    }

    private FadePace() {}

    /**
     * The later segment's weight at each shared frame, in {@code levels}ths (0 to {@code levels}, never decreasing),
     * from the raw yuv420p frames of {@code width x height}: {@code before} (the earlier segment's last own frame, when
     * it has one), the earlier segment's shared frames, the later one's, and {@code after} (the later one's first own frame).
     */
    static int[] weights(int width, int height, FinishSpec.Rect source, Optional<byte[]> before, List<byte[]> earlier,
                         List<byte[]> later, Optional<byte[]> after) {
        Sampler sampler = sampler(width, height, source, earlier.size());
        return weights(before.map(sampler::sample), earlier.stream().map(sampler::sample).toList(),
                later.stream().map(sampler::sample).toList(), after.map(sampler::sample));
    }

    /**
     * The weights from frames already sampled by one {@link Sampler}: a caller may sample each frame as it decodes it
     * and keep no picture (a 4096-pixel canvas is 25 MB a frame).
     */
    static int[] weights(Optional<float[]> before, List<float[]> earlier, List<float[]> later, Optional<float[]> after) {
        int frames = earlier.size();
        if (frames == 0 || later.size() != frames) {
            throw new IllegalArgumentException("a cross-fade mixes as many frames of each segment, at least one: " + earlier.size()
                    + " and " + later.size());
        }
        int levels = levels(frames);
        return search(steps(before, earlier, later, after), levels, reach(frames, levels));
    }

    /** Where and how frames are sampled: up to as many places as a search over {@code frames} shared frames affords. */
    static Sampler sampler(int width, int height, FinishSpec.Rect source, int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("a cross-fade mixes as many frames of each segment, at least one: " + frames);
        }
        int levels = levels(frames);
        long pairs = (long) frames * (levels + 1) * (reach(frames, levels) + 1);
        int points = (int) Math.max(FEWEST_POINTS, Math.min(MOST_POINTS, WORK / pairs));
        return new Sampler(width, height, places(width, height, source, points));
    }

    /** Samples raw yuv420p frames of {@code width x height} at {@code places} (top-left luma indexes of margin blocks). */
    record Sampler(int width, int height, int[] places) {
        /** The frame's size in bytes. */
        int frameBytes() {
            return width * height + 2 * (width / 2) * (height / 2);
        }

        float[] sample(byte[] frame) {
            return rgb(frame, width, height, places);
        }
    }

    /** A multiple of (frames + 1), so the even pace is on the grid, of about 50 levels (at least one per step). */
    static int levels(int frames) {
        return (frames + 1) * Math.max(1, 52 / (frames + 1));
    }

    /** The largest step of the weight from one frame to the next: three times the even pace's, or the whole fade. */
    static int reach(int frames, int levels) {
        return Math.min(levels, 3 * levels / (frames + 1));
    }

    /**
     * Of the monotone paces {@code w[0..frames-1]} in {@code levels}ths, each frame at most {@code reach} past the one
     * before (the weight is 0 before the overlap and whole after it), the one whose largest step is the smallest, and of
     * those the one whose steps' squares sum least.
     */
    static int[] search(Steps steps, int levels, int reach) {
        int frames = steps.frames();
        double[] worst = new double[levels + 1];
        double[] squares = new double[levels + 1];
        int[][] from = new int[frames][levels + 1];
        for (int j = 0; j <= levels; j++) {
            double d = j <= reach ? steps.at(0, 0, (double) j / levels) : Double.POSITIVE_INFINITY;
            worst[j] = d;
            squares[j] = d * d;
        }
        for (int k = 1; k < frames; k++) {
            double[] nextWorst = new double[levels + 1];
            double[] nextSquares = new double[levels + 1];
            for (int j = 0; j <= levels; j++) {
                nextWorst[j] = Double.POSITIVE_INFINITY;
                nextSquares[j] = Double.POSITIVE_INFINITY;
                for (int i = Math.max(0, j - reach); i <= j; i++) {
                    if (worst[i] == Double.POSITIVE_INFINITY) {
                        continue;
                    }
                    double d = steps.at(k, (double) i / levels, (double) j / levels);
                    double w = Math.max(worst[i], d);
                    double s = squares[i] + d * d;
                    if (better(w, s, nextWorst[j], nextSquares[j])) {
                        nextWorst[j] = w;
                        nextSquares[j] = s;
                        from[k][j] = i;
                    }
                }
            }
            worst = nextWorst;
            squares = nextSquares;
        }
        int last = -1;
        double bestWorst = Double.POSITIVE_INFINITY;
        double bestSquares = Double.POSITIVE_INFINITY;
        for (int i = Math.max(0, levels - reach); i <= levels; i++) {
            if (worst[i] == Double.POSITIVE_INFINITY) {
                continue;
            }
            double d = steps.at(frames, (double) i / levels, 1);
            double w = Math.max(worst[i], d);
            double s = squares[i] + d * d;
            if (last < 0 || better(w, s, bestWorst, bestSquares)) {
                bestWorst = w;
                bestSquares = s;
                last = i;
            }
        }
        int[] pace = new int[frames];
        pace[frames - 1] = last;
        for (int k = frames - 1; k > 0; k--) {
            pace[k - 1] = from[k][pace[k]];
        }
        return pace;
    }

    private static boolean better(double worst, double squares, double thanWorst, double thanSquares) {
        double tolerance = 1e-9 * Math.max(1, Math.abs(thanWorst));
        return worst < thanWorst - tolerance || (worst <= thanWorst + tolerance && squares < thanSquares);
    }

    /**
     * The steps' terms from the frames sampled in RGB at the same places. Without a frame before (or after), the step
     * into (or out of) the overlap is taken from (or to) the segment's own shared frame, with no motion.
     */
    static Steps steps(Optional<float[]> before, List<float[]> earlier, List<float[]> later, Optional<float[]> after) {
        int frames = earlier.size();
        float[][] p = new float[frames + 1][];
        float[][] q = new float[frames + 1][];
        float[][] r = new float[frames + 1][];
        float[][] a = earlier.toArray(new float[0][]);
        float[][] b = later.toArray(new float[0][]);
        float[] none = new float[a[0].length];
        // step 0, from the frame before to mixed frame 0: A0 - before + v (B0 - A0); with no frame before (the earlier
        // segment is all overlaps), from A0 itself: the jump away from the earlier segment's own picture
        p[0] = before.isPresent() ? minus(a[0], before.get()) : none;
        q[0] = minus(b[0], a[0]);
        r[0] = none;
        for (int k = 1; k < frames; k++) {
            p[k] = minus(a[k], a[k - 1]);
            q[k] = minus(b[k], a[k]);
            r[k] = minus(b[k - 1], a[k - 1]);
        }
        // the last step, from mixed frame frames - 1 to the frame after: after - A - u (B - A); with no frame after, to
        // the later segment's own last shared picture
        r[frames] = minus(b[frames - 1], a[frames - 1]);
        p[frames] = after.isPresent() ? minus(after.get(), a[frames - 1]) : r[frames];
        q[frames] = none;
        return new Steps(p, q, r);
    }

    /**
     * Top-left luma indexes of margin blocks on an even grid, at most {@code points} of them: each place a 2x2 block of
     * luma wholly outside the source, sampled by its top-left luma sample and its chroma.
     */
    static int[] places(int width, int height, FinishSpec.Rect source, int points) {
        int right = source.x() + source.width();
        int bottom = source.y() + source.height();
        int blocks = 0;
        for (int y = 0; y + 1 < height; y += 2) {
            for (int x = 0; x + 1 < width; x += 2) {
                if (outside(x, y, source, right, bottom)) {
                    blocks++;
                }
            }
        }
        if (blocks == 0) {
            throw new FinishFailedException("cross-fade: the source " + source + " leaves no margin in the " + width + "x" + height
                    + " picture");
        }
        int stride = (int) Math.ceil(Math.sqrt((double) blocks / points));
        int[] found = new int[blocks];
        int count = 0;
        for (int y = 0; y + 1 < height; y += 2 * stride) {
            for (int x = 0; x + 1 < width; x += 2 * stride) {
                if (outside(x, y, source, right, bottom)) {
                    found[count++] = y * width + x;
                }
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    private static boolean outside(int x, int y, FinishSpec.Rect source, int right, int bottom) {
        return y + 2 <= source.y() || y >= bottom || x + 2 <= source.x() || x >= right;
    }

    /** R, G and B (unclamped) of each place of a raw yuv420p frame, as FFmpeg converts BT.601 limited range. */
    static float[] rgb(byte[] frame, int width, int height, int[] places) {
        int luma = width * height;
        int chromaWidth = width / 2;
        int chroma = chromaWidth * (height / 2);
        if (frame.length != luma + 2 * chroma) {
            throw new FinishFailedException("cross-fade: a frame of " + frame.length + " bytes is not one " + width + "x" + height
                    + " yuv420p frame");
        }
        float[] out = new float[3 * places.length];
        for (int i = 0; i < places.length; i++) {
            int at = places[i];
            int x = at % width;
            int y = at / width;
            int c = (y / 2) * chromaWidth + x / 2;
            float yy = 1.164f * ((frame[at] & 0xFF) - 16);
            float u = (frame[luma + c] & 0xFF) - 128;
            float v = (frame[luma + chroma + c] & 0xFF) - 128;
            out[3 * i] = yy + 1.596f * v;
            out[3 * i + 1] = yy - 0.392f * u - 0.813f * v;
            out[3 * i + 2] = yy + 2.017f * u;
        }
        return out;
    }

    private static float[] minus(float[] x, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - y[i];
        }
        return out;
    }
}
