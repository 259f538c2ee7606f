package io.outpaint.pricing;

import io.outpaint.request.OutpaintRequest;
import io.outpaint.segments.SegmentPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A long clip's price: each segment is a job of its own, priced on its own shape (its generated frames with the
 * request's resolution, steps and interpolation) as one job is, and the clip costs the sum. A shape shared by
 * several segments is priced once.
 */
public final class SegmentPricing {

    private SegmentPricing() {}

    /** The sum and each segment's units, in order; {@code first} is the first segment's estimate (its shape and source). */
    public record Priced(int creativeUnits, List<Integer> each, Estimate first, boolean anyDryRun) {}

    /** The shape segment {@code segment} is generated at: the request's, with the segment's generated frames. */
    public static PriceShape shape(OutpaintRequest request, SegmentPlan.Segment segment) {
        return new PriceShape(segment.generatedFrames(), request.resolution(), request.numInferenceSteps(), request.numInterpolatedFrames());
    }

    /** The plan's price from {@code prices} (a shape's estimate, or empty when none can be had): empty when a segment has none. */
    public static Optional<Priced> price(OutpaintRequest request, SegmentPlan plan, Function<PriceShape, Optional<Estimate>> prices) {
        Map<PriceShape, Optional<Estimate>> byShape = new HashMap<>();
        List<Integer> each = new ArrayList<>();
        Estimate first = null;
        boolean dryRun = false;
        long total = 0;
        for (SegmentPlan.Segment segment : plan.segments()) {
            Optional<Estimate> estimate = byShape.computeIfAbsent(shape(request, segment), prices);
            if (estimate.isEmpty()) {
                return Optional.empty();
            }
            first = first == null ? estimate.get() : first;
            dryRun |= estimate.get().source() == Estimate.Source.DRY_RUN;
            each.add(estimate.get().creativeUnits());
            total += estimate.get().creativeUnits();
        }
        return Optional.of(new Priced(Math.toIntExact(total), List.copyOf(each), first, dryRun));
    }
}
