package io.outpaint.request;

import io.outpaint.request.Choices.AspectRatio;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link Target} is reached from one input video ({@link TargetPlanner}): the model inputs to
 * send, the exact output canvas and where the source's pixels land in it.
 *
 * @param input       the source video's frame size, as probed
 * @param sides       the sides the model expands, in {@link Side} order
 * @param expandRatio the model's {@code expandRatio}
 * @param aspectRatio the model's {@code aspectRatio}
 * @param canvas      the finished video's size: exactly the target's ratio, even, at most {@value TargetPlanner#MAX_SIDE} px a side
 * @param source      where the (kept part of the) source lands in the canvas
 * @param crop        the part of the source kept, in source pixels, when the target is out of one pass's reach
 * @param modelCanvas the model's canvas in source pixels (its rule: floor(ratio x side) per enabled side, rounded up to 8)
 */
public record FramingPlan(Size input, List<Side> sides, double expandRatio, AspectRatio aspectRatio, Size canvas, Rect source,
                          Optional<Rect> crop, Size modelCanvas) {

    public enum Side implements Choices.Wire {
        LEFT("left"), RIGHT("right"), TOP("top"), BOTTOM("bottom");
        private final String wire;
        Side(String wire) { this.wire = wire; }
        public String wire() { return wire; }
    }

    public record Size(int width, int height) {}

    public record Rect(int x, int y, int width, int height) {}

    public FramingPlan {
        sides = List.copyOf(sides);
        if (sides.isEmpty() || expandRatio < 0 || expandRatio > 1) {
            throw new IllegalArgumentException("a plan expands at least one side, by a ratio from 0 to 1");
        }
    }

    public boolean expands(Side side) {
        return sides.contains(side);
    }
}
