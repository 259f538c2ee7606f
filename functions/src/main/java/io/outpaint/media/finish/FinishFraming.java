package io.outpaint.media.finish;

import io.outpaint.request.FramingPlan;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.TargetPlanner;

/**
 * The {@link FinishSpec} of a job: from its framing plan when the request named a target, else from
 * the raw expand flags and the input's size, with the model's own geometry (scenario-api.md): each
 * enabled side adds floor(expandRatio x the source's side), the canvas is rounded up to a multiple of
 * 8 and the source sits at (left, top). Either canvas is capped at {@value #MAX_SIDE} px on its long
 * side, scaled down whole.
 */
public final class FinishFraming {

    public static final int MAX_SIDE = TargetPlanner.MAX_SIDE;

    private FinishFraming() {}

    /** A target's plan: its canvas, the source's place and crop, and the part of the model's canvas that the canvas covers. */
    public static FinishSpec of(FramingPlan plan) {
        FramingPlan.Size canvas = plan.canvas();
        FramingPlan.Rect s = plan.source();
        FinishSpec spec = FinishSpec.of(canvas.width(), canvas.height(), new FinishSpec.Rect(s.x(), s.y(), s.width(), s.height()));
        FramingPlan.Rect kept = plan.crop().orElse(new FramingPlan.Rect(0, 0, plan.input().width(), plan.input().height()));
        if (plan.crop().isPresent()) {
            spec = spec.withCrop(new FinishSpec.Crop(kept.x(), kept.y(), kept.width(), kept.height()));
        }
        // the model frames the whole source: the kept part sits at the model's margin plus the crop's offset
        int left = plan.expands(FramingPlan.Side.LEFT) ? margin(plan.expandRatio(), plan.input().width()) : 0;
        int top = plan.expands(FramingPlan.Side.TOP) ? margin(plan.expandRatio(), plan.input().height()) : 0;
        double scale = (double) s.width() / kept.width(); // below 1 only for a capped canvas
        FramingPlan.Size model = plan.modelCanvas();
        return spec.withWindow(new FinishSpec.Window(model.width(), model.height(), inside(
                left + kept.x() - s.x() / scale, top + kept.y() - s.y() / scale,
                canvas.width() / scale, canvas.height() / scale, model)));
    }

    /** The raw expand flags on a {@code width x height} source: the model's canvas itself is the output's. */
    public static FinishSpec ofRawFlags(OutpaintRequest request, int width, int height) {
        int left = request.expandLeft() ? margin(request.expandRatio(), width) : 0;
        int right = request.expandRight() ? margin(request.expandRatio(), width) : 0;
        int top = request.expandTop() ? margin(request.expandRatio(), height) : 0;
        int bottom = request.expandBottom() ? margin(request.expandRatio(), height) : 0;
        int canvasWidth = roundUp8(width + left + right);
        int canvasHeight = roundUp8(height + top + bottom);
        int longSide = Math.max(canvasWidth, canvasHeight);
        if (longSide <= MAX_SIDE) {
            return FinishSpec.of(canvasWidth, canvasHeight, new FinishSpec.Rect(left, top, width, height));
        }
        double scale = (double) MAX_SIDE / longSide;
        int w = even(canvasWidth * scale);
        int h = even(canvasHeight * scale);
        int x = (int) Math.round(left * scale);
        int y = (int) Math.round(top * scale);
        return FinishSpec.of(w, h, new FinishSpec.Rect(x, y, Math.min((int) Math.round(width * scale), w - x),
                Math.min((int) Math.round(height * scale), h - y)));
    }

    /** The model's margin on one side: floor(ratio x side), as its reference implementation computes it. */
    static int margin(double ratio, int side) {
        return (int) Math.floor(ratio * side);
    }

    /** A rectangle in the model's canvas, rounded and kept inside it (the planner's slack of a few px is stretched). */
    private static FinishSpec.Rect inside(double x, double y, double width, double height, FramingPlan.Size model) {
        int x0 = clamp(Math.round(x), model.width() - 1);
        int y0 = clamp(Math.round(y), model.height() - 1);
        int x1 = clamp(Math.round(x + width), model.width());
        int y1 = clamp(Math.round(y + height), model.height());
        return new FinishSpec.Rect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    private static int clamp(long value, int max) {
        return (int) Math.max(0, Math.min(value, max));
    }

    private static int roundUp8(int size) {
        return (size + 7) / 8 * 8;
    }

    private static int even(double value) {
        return Math.max(2, (int) Math.floor(value / 2) * 2);
    }
}
