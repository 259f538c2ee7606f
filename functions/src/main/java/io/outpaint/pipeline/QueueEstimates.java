package io.outpaint.pipeline;

import io.outpaint.budget.BudgetGate;
import io.outpaint.budget.Estimator;
import io.outpaint.job.Job;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.pricing.Estimate;
import io.outpaint.pricing.PriceShape;
import io.outpaint.pricing.Pricing;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.pricing.SegmentPricing;
import io.outpaint.segments.InputLength;
import io.outpaint.segments.SegmentJson;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The estimate a job needs before it joins the queue of a budgeted deployment, when it has none (an
 * S3 upload, an API job whose frames come from its video, a job started by hand): its shape from its
 * request and its video's headers, its price from the price book, or from one dry run where this
 * function holds Scenario's credentials (the API, the upload trigger, the steps that call Scenario
 * and the sweep do). A job that still has none waits for the budget with that reason, and the
 * dispatcher asks again on each pass ({@link Estimator}): at the latest the periodic sweep, which
 * holds the credentials, prices it.
 *
 * <p>Rules where the plain price cannot be had: a video whose headers do not give its frame count
 * (a WebM, with matchInputNumFrames) reserves the price of its shape at the most frames one
 * generation takes ({@value PriceShape#MAX_FRAMES}), settled to what was billed at its end; a job
 * whose request or video cannot be read is never priced: it fails as the pipeline would fail it.
 */
public final class QueueEstimates implements Estimator {

    private static final Logger LOG = LoggerFactory.getLogger(QueueEstimates.class);

    private final BudgetGate budgets;
    private final Supplier<Pricing> pricing;
    private final InputVideos inputs;
    private final boolean canDryRun;
    private final SegmentRules rules;

    public QueueEstimates(BudgetGate budgets, Supplier<Pricing> pricing, InputVideos inputs, boolean canDryRun) {
        this(budgets, pricing, inputs, canDryRun, SegmentRules.model());
    }

    /** With {@code rules}: a clip longer than one generation is priced as the sum of the segments they cut it into. */
    public QueueEstimates(BudgetGate budgets, Supplier<Pricing> pricing, InputVideos inputs, boolean canDryRun, SegmentRules rules) {
        this.budgets = budgets;
        this.pricing = pricing;
        this.inputs = inputs;
        this.canDryRun = canDryRun;
        this.rules = rules;
    }

    public static QueueEstimates of(PipelineServices services) {
        return new QueueEstimates(services.budgets(), services::pricing, services.inputs(), services.config().hasScenarioCredentials(),
                SegmentRules.model(services.config().segmentOverlapFrames()));
    }

    /** Whether a budget holds admission now. */
    public boolean budgeted() {
        return budgets != null && budgets.isOn();
    }

    /** The job with its estimate; as it is without a budget, with an estimate already, or when none can be had now. */
    public Job withEstimate(Job job, Instant now) {
        if (budgets == null || !budgets.isOn() || job.billingOrNone().estimate() != null || job.request() == null) {
            return job;
        }
        Outcome outcome = estimate(job);
        if (outcome instanceof Outcome.Priced priced) {
            Job planned = priced.segments() == null || job.segments() != null ? job : job.withSegments(priced.segments(), now);
            return planned.withBilling(job.billingOrNone().withEstimate(priced.creativeUnits()), now);
        }
        LOG.warn("job {}: no estimate now ({}); it waits without one", job.jobId(), outcome);
        return job;
    }

    @Override
    public Outcome estimate(Job job) {
        OutpaintRequest request;
        PriceShape shape;
        String rule = null;
        try {
            request = OutpaintRequest.fromJson(job.request());
            Optional<SegmentPlan> split = split(job, request);
            if (split.isPresent()) {
                return segmentsPriced(request, split.get());
            }
            try {
                shape = PriceShape.of(request, () -> frames(job));
            } catch (PriceShape.UnknownFramesException unknown) {
                shape = new PriceShape(PriceShape.MAX_FRAMES, request.resolution(), request.numInferenceSteps(),
                        request.numInterpolatedFrames());
                rule = "its video's headers do not give its frame count: priced at " + PriceShape.MAX_FRAMES
                        + " frames, the most one generation takes; settled to what is billed";
            }
        } catch (InvalidRequestException e) {
            return new Outcome.Never("INVALID_REQUEST", "its request cannot be read: " + e.getMessage());
        } catch (InvalidInputException e) {
            return new Outcome.Never("INVALID_INPUT", "its video cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome.NotNow("its video's headers could not be read now (" + e + ")");
        }
        try {
            Optional<Estimate> estimate = canDryRun ? Optional.of(pricing.get().estimate(shape)) : pricing.get().cached(shape);
            if (estimate.isEmpty()) {
                return new Outcome.NotNow("no price is cached for its shape (" + shape.key() + ") and this function asks Scenario"
                        + " none; a dispatch that holds Scenario's credentials (at the latest the sweep's) asks it");
            }
            return new Outcome.Priced(estimate.get().creativeUnits(), rule);
        } catch (RuntimeException e) {
            return new Outcome.NotNow("its shape's price could not be asked now (" + e + "); the next dispatch asks again");
        }
    }

    /**
     * The segments of a clip longer than one generation: the plan recorded on a parent, else one made from its video's
     * headers (with the seed its split will use); empty for a segment, a clip of one generation, or one whose headers do
     * not give its length (priced as one job, as before).
     */
    private Optional<SegmentPlan> split(Job job, OutpaintRequest request) {
        if (Segments.isSegment(job) || job.source() == null || job.source().key() == null) {
            return Optional.empty();
        }
        if (Segments.isParent(job)) {
            return Optional.of(SegmentJson.read(Segments.plan(job)));
        }
        io.outpaint.media.VideoProbe.Video probed;
        try {
            probed = inputs.probe(inputs.describe(job.source().bucket(), job.source().key(), job.source().versionId()));
        } catch (InvalidInputException unreadable) {
            return Optional.empty(); // headers this probe cannot read: priced as one job, and left to Scenario's checks as before
        }
        return InputLength.plan(probed, request.matchInputFramesPerSecond(), request.framesPerSecond(), rules,
                SegmentPlanner.seedFor(Optional.ofNullable(request.seed()), job.jobId())).filter(SegmentPlan::isSplit);
    }

    private Outcome segmentsPriced(OutpaintRequest request, SegmentPlan plan) {
        try {
            Optional<SegmentPricing.Priced> priced = SegmentPricing.price(request, plan,
                    shape -> canDryRun ? Optional.of(pricing.get().estimate(shape)) : pricing.get().cached(shape));
            if (priced.isEmpty()) {
                return new Outcome.NotNow("no price is cached for the shapes of its " + plan.count() + " segments and this function"
                        + " asks Scenario none; a dispatch that holds Scenario's credentials (at the latest the sweep's) asks it");
            }
            return new Outcome.Priced(priced.get().creativeUnits(), "the sum of its " + plan.count() + " segments' estimates",
                    Segments.planned(plan));
        } catch (RuntimeException e) {
            return new Outcome.NotNow("its segments' prices could not be asked now (" + e + "); the next dispatch asks again");
        }
    }

    private OptionalInt frames(Job job) {
        if (job.source() == null || job.source().key() == null) {
            return OptionalInt.empty();
        }
        return inputs.frames(inputs.describe(job.source().bucket(), job.source().key(), job.source().versionId()));
    }
}
