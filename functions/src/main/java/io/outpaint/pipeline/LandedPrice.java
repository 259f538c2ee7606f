package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.media.VideoProbe;
import io.outpaint.pricing.Estimate;
import io.outpaint.pricing.PriceShape;
import io.outpaint.pricing.SegmentPricing;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.segments.InputLength;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The spend cap ({@code maxCreativeUnits}) of an API job whose video comes through its upload URL, checked again when the
 * video lands, before the job is queued. At creation the cap could only be checked on the frames the request gives; the
 * video that lands may be longer than one generation, and then it is generated as segments, each a job of its own, whose
 * sum may be many times that. So the landed video is priced as UploadInput will plan it (from its headers, with the same
 * rules and seed): a long clip as the sum of its segments' estimates ({@link SegmentPricing}), a short one on its shape
 * (its price may have changed since creation). Above the cap, the job fails before any segment, slot or Scenario job
 * exists; within it, the job keeps that price as its estimate (and a long clip its segment plan, so that a budget holds
 * its segments rather than it, as for a job created on a video already in the bucket).
 */
public final class LandedPrice {

    /** The failure code, the same as {@code POST /jobs} answers for an estimate above the cap. */
    public static final String OVER_MAX_CREATIVE_UNITS = "OVER_MAX_CREATIVE_UNITS";

    /** What the check found. */
    public sealed interface Outcome {
        /** No check here: the job has no cap, or its clip is longer than the deployment takes (UploadInput fails it). */
        record Unchecked(String why) implements Outcome {}

        /** Within the cap: the landed video's price, and its segment plan when it is longer than one generation. */
        record Within(int creativeUnits, Optional<SegmentPlan> split) implements Outcome {}

        /** Above the cap: the error the job fails with. */
        record Over(Job.JobError error) implements Outcome {}
    }

    private final SegmentRules rules;
    private final InputLength length;
    private final Function<PriceShape, Estimate> prices;

    /**
     * @param rules  how a long clip is cut, as UploadInput cuts it
     * @param maxInputDuration the longest clip the deployment takes: a longer one is left to UploadInput, which fails it
     * @param prices a shape's price (from the price book, or a dry run)
     */
    public LandedPrice(SegmentRules rules, Duration maxInputDuration, Function<PriceShape, Estimate> prices) {
        this.rules = rules;
        this.length = new InputLength(maxInputDuration);
        this.prices = prices;
    }

    public static LandedPrice of(PipelineServices services) {
        return new LandedPrice(SegmentRules.model(services.config().segmentOverlapFrames()), services.config().maxInputDuration(),
                shape -> services.pricing().estimate(shape));
    }

    /**
     * Checks {@code job}'s cap against its landed video: {@code headers} are the video's (read only for a job with a cap;
     * empty when they cannot be read: priced as one generation, as the queue prices it), {@code frames} its frame count
     * for matchInputNumFrames.
     * A price that cannot be had now (Scenario busy for a dry run) is thrown: the job stays as it is, to be checked again.
     */
    public Outcome check(Job job, Supplier<Optional<VideoProbe.Video>> headers, Supplier<OptionalInt> frames) {
        Integer max = job.billingOrNone().maxCreativeUnits();
        if (max == null) {
            return new Outcome.Unchecked("no maxCreativeUnits");
        }
        Optional<VideoProbe.Video> probed = headers.get();
        if (probed.isPresent() && length.problemWith(probed.get(), "video").isPresent()) {
            return new Outcome.Unchecked("longer than the deployment takes: UploadInput fails it before anything is spent");
        }
        OutpaintRequest request = OutpaintRequest.fromJson(job.request());
        Optional<SegmentPlan> split = probed.flatMap(p -> InputLength.plan(p, request.matchInputFramesPerSecond(),
                request.framesPerSecond(), rules, SegmentPlanner.seedFor(Optional.ofNullable(request.seed()), job.jobId())))
                .filter(SegmentPlan::isSplit);
        int units = split.isPresent()
                ? SegmentPricing.price(request, split.get(), shape -> Optional.of(prices.apply(shape))).orElseThrow().creativeUnits()
                : prices.apply(shape(request, frames)).creativeUnits();
        if (units <= max) {
            return new Outcome.Within(units, split);
        }
        String message = "the estimate is " + units + " creative units"
                + split.map(p -> " (the sum of its " + p.count() + " segments')").orElse("") + ", above maxCreativeUnits " + max
                + "; priced when the video landed" + split.map(p -> String.format(Locale.ROOT, " (%d frames at %s fps, longer than"
                        + " one generation)", p.sourceFrames(), rate(p.sourceFps()))).orElse("");
        String hint = "nothing was queued or sent to Scenario; to see a video's cost before its job starts, stage it first"
                + " (POST /uploads, then POST /estimate and POST /jobs with its key), or create the job again with a higher"
                + " maxCreativeUnits";
        return new Outcome.Over(new Job.JobError(OVER_MAX_CREATIVE_UNITS, message, hint));
    }

    /**
     * Checks {@code job}'s cap against {@code plan}, the plan the Split step made again from the frames FFmpeg counted in
     * the clip and its scene changes: the headers' plan (checked at creation, or when the video landed) may have assumed a
     * frame count or rate the clip does not hold, and cuts moved onto scene changes may make more or longer segments. Each
     * segment is priced on its own shape, as above. A price that cannot be had now (Scenario busy for a dry run) is thrown.
     */
    public Outcome checkSplit(Job job, SegmentPlan plan) {
        Integer max = job.billingOrNone().maxCreativeUnits();
        if (max == null) {
            return new Outcome.Unchecked("no maxCreativeUnits");
        }
        OutpaintRequest request = OutpaintRequest.fromJson(job.request());
        int units = SegmentPricing.price(request, plan, shape -> Optional.of(prices.apply(shape))).orElseThrow().creativeUnits();
        if (units <= max) {
            return new Outcome.Within(units, Optional.of(plan));
        }
        String message = "the estimate is " + units + " creative units (the sum of its " + plan.count() + " segments'), above"
                + " maxCreativeUnits " + max + "; priced again when the clip was split, on the " + plan.sourceFrames() + " frames at "
                + rate(plan.sourceFps()) + " fps FFmpeg counted and its scene changes";
        String hint = "no segment was cut, queued or sent to Scenario; create the job again with a higher maxCreativeUnits";
        return new Outcome.Over(new Job.JobError(OVER_MAX_CREATIVE_UNITS, message, hint));
    }

    /** {@code job} as it is queued within its cap: the landed price its estimate, and a long clip's segment plan recorded. */
    public static Job recorded(Job job, Outcome.Within within, Instant now) {
        Job planned = within.split().isEmpty() || job.segments() != null ? job
                : job.withSegments(Segments.planned(within.split().get()), now);
        return planned.withBilling(planned.billingOrNone().withEstimate(within.creativeUnits()), now);
    }

    /** A rate as people read it: 24, 29.97. */
    private static String rate(double fps) {
        return java.math.BigDecimal.valueOf(Math.round(fps * 100) / 100.0).stripTrailingZeros().toPlainString();
    }

    /** A clip of one generation's shape; a frame count its headers do not give is priced at the most one generation takes. */
    private static PriceShape shape(OutpaintRequest request, Supplier<OptionalInt> frames) {
        try {
            return PriceShape.of(request, frames);
        } catch (PriceShape.UnknownFramesException unknown) {
            return new PriceShape(PriceShape.MAX_FRAMES, request.resolution(), request.numInferenceSteps(), request.numInterpolatedFrames());
        }
    }
}
