package io.outpaint.request;

import io.outpaint.request.Choices.AspectRatio;
import io.outpaint.request.FramingPlan.Rect;
import io.outpaint.request.FramingPlan.Side;
import io.outpaint.request.FramingPlan.Size;
import io.outpaint.request.Target.Anchor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an input's frame size and a {@link Target} into a {@link FramingPlan}. The rules:
 * <ul>
 * <li>The canvas is the smallest {@code k*W x k*H} (W:H in lowest terms, k even so both sides are even)
 *     that holds the source at 1:1; the axis that does not grow keeps at most one step of slack
 *     ({@code 2W} or {@code 2H} px, under 32 px for the presets), which the model does not generate.</li>
 * <li>Each axis is placed by the anchor when the anchor is on it (left/right: x; top/bottom: y), else centred.</li>
 * <li>Only the sides of the growing axis with a margin are expanded, by one ratio that covers the larger margin.</li>
 * <li>One pass adds at most the source's own size per side ({@code expandRatio} 1). A target beyond it is reached
 *     by cropping the source's other axis as little as possible (the canvas is then the largest one in reach,
 *     and the kept part is placed by the anchor on that axis, else centred): 16:9 to 9:16 keeps the middle.</li>
 * <li>A source within {@value #SAME_RATIO_PERCENT}% of the target's ratio is refused: there is nothing to outpaint.</li>
 * <li>A canvas over {@value #MAX_SIDE} px on its long side is scaled down whole, keeping the ratio exact.</li>
 * </ul>
 */
public final class TargetPlanner {

    public static final int MAX_SIDE = 4096;
    public static final int SAME_RATIO_PERCENT = 1;
    private static final String FIELD = "target.aspectRatio";

    private TargetPlanner() {}

    /** The plan for a {@code width x height} source; a target it cannot serve is refused naming {@value #FIELD}. */
    public static FramingPlan plan(int width, int height, Target target) {
        if (width <= 0 || height <= 0) {
            throw refused(target, "the video's frame size is not known (" + width + "x" + height + "), so no target can be planned;"
                    + " use the raw expand flags");
        }
        int[] ratio = target.reduced();
        long wide = (long) width * ratio[1];
        long tall = (long) height * ratio[0];
        if (Math.abs(wide - tall) * 100 <= (long) SAME_RATIO_PERCENT * tall) {
            throw refused(target, "the video is " + width + "x" + height + ", already " + target.aspectRatio() + " (within "
                    + SAME_RATIO_PERCENT + "%): nothing to outpaint; pick another ratio, or the raw expand flags");
        }
        boolean growX = wide < tall; // narrower than the target: the width grows
        Axis along = growX ? new Axis(width, ratio[0], Anchor.LEFT, Anchor.RIGHT) : new Axis(height, ratio[1], Anchor.TOP, Anchor.BOTTOM);
        Axis across = growX ? new Axis(height, ratio[1], Anchor.TOP, Anchor.BOTTOM) : new Axis(width, ratio[0], Anchor.LEFT, Anchor.RIGHT);
        int grownSides = along.anchoredBy(target.anchor()) ? 1 : 2;
        long reach = (long) along.size * (1 + grownSides); // expandRatio 1 adds the source's size per side
        long k = even(Math.max(ceil(along.size, along.term), ceil(across.size, across.term)));
        if (k * along.term > reach) {
            k = (reach / along.term) / 2 * 2;
            if (k * along.term < along.size || k == 0) {
                throw refused(target, "the video (" + width + "x" + height + ") is too small for " + target.aspectRatio()
                        + " even when cropped");
            }
        }
        int canvasAlong = Math.toIntExact(k * along.term);
        int canvasAcross = Math.toIntExact(k * across.term);
        int kept = Math.min(across.size, canvasAcross);
        int cropAt = across.place(across.size - kept, target.anchor());
        int margin = canvasAlong - along.size;
        int before = along.place(margin, target.anchor());
        int after = margin - before;
        int acrossAt = across.place(canvasAcross - kept, target.anchor());

        List<Side> sides = new ArrayList<>();
        if (before > 0) {
            sides.add(growX ? Side.LEFT : Side.TOP);
        }
        if (after > 0) {
            sides.add(growX ? Side.RIGHT : Side.BOTTOM);
        }
        double expandRatio = ratioFor(Math.max(before, after), along.size);
        int modelAlong = roundUp8(along.size + sides.size() * (long) Math.floor(expandRatio * along.size));
        Optional<Rect> crop = kept == across.size ? Optional.empty()
                : Optional.of(growX ? new Rect(0, cropAt, width, kept) : new Rect(cropAt, 0, kept, height));
        Size canvas = growX ? new Size(canvasAlong, canvasAcross) : new Size(canvasAcross, canvasAlong);
        Rect source = growX ? new Rect(before, acrossAt, width, kept) : new Rect(acrossAt, before, kept, height);
        Size model = growX ? new Size(modelAlong, roundUp8(height)) : new Size(roundUp8(width), modelAlong);
        return capped(new FramingPlan(new Size(width, height), sides, expandRatio, modelAspect(ratio, crop), canvas, source,
                crop, model), ratio);
    }

    /** One axis: the source's size on it, the target's term on it, and the anchors that pin its start and end. */
    private record Axis(int size, int term, Anchor start, Anchor end) {
        boolean anchoredBy(Anchor anchor) {
            return anchor == start || anchor == end;
        }

        /** The part of {@code slack} before the source: none when pinned at the start, all at the end, else half. */
        int place(int slack, Anchor anchor) {
            return anchor == start ? 0 : anchor == end ? slack : slack / 2;
        }
    }

    /**
     * The model's own {@code aspectRatio} when the target is one of them and nothing is cropped: its output then
     * has the target's shape already. Otherwise {@code auto}, since forcing 16:9, 1:1 or 9:16 on a canvas of
     * another shape would squash the picture; the finished video gets its exact ratio from the canvas.
     */
    private static AspectRatio modelAspect(int[] ratio, Optional<Rect> crop) {
        String wire = ratio[0] + ":" + ratio[1];
        for (AspectRatio a : AspectRatio.values()) {
            if (a != AspectRatio.AUTO && a.wire().equals(wire) && crop.isEmpty()) {
                return a;
            }
        }
        return AspectRatio.AUTO;
    }

    /**
     * The least 4-decimal ratio whose floor(ratio x size) reaches {@code margin}, aimed half a pixel past it so
     * the model's floating-point product cannot fall a pixel short; at most 1.
     */
    static double ratioFor(int margin, int size) {
        BigDecimal aimed = BigDecimal.valueOf(2L * margin + 1).divide(BigDecimal.valueOf(2L * size), 4, RoundingMode.CEILING);
        double ratio = Math.min(1, aimed.doubleValue());
        if (Math.floor(ratio * size) < margin) {
            throw new IllegalStateException("ratio " + ratio + " does not reach " + margin + " px of " + size);
        }
        return ratio;
    }

    private static FramingPlan capped(FramingPlan plan, int[] ratio) {
        Size c = plan.canvas();
        if (Math.max(c.width(), c.height()) <= MAX_SIDE) {
            return plan;
        }
        int k = MAX_SIDE / Math.max(ratio[0], ratio[1]) / 2 * 2;
        Size canvas = new Size(k * ratio[0], k * ratio[1]);
        double scale = (double) canvas.width() / c.width();
        Rect s = plan.source();
        int x = (int) Math.round(s.x() * scale);
        int y = (int) Math.round(s.y() * scale);
        Rect source = new Rect(x, y, Math.min((int) Math.round(s.width() * scale), canvas.width() - x),
                Math.min((int) Math.round(s.height() * scale), canvas.height() - y));
        return new FramingPlan(plan.input(), plan.sides(), plan.expandRatio(), plan.aspectRatio(), canvas, source, plan.crop(),
                plan.modelCanvas());
    }

    private static InvalidRequestException refused(Target target, String why) {
        return new InvalidRequestException(List.of(FieldError.problem(FIELD, why)));
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long even(long k) {
        return k % 2 == 0 ? k : k + 1;
    }

    private static int roundUp8(long size) {
        return Math.toIntExact((size + 7) / 8 * 8);
    }
}
