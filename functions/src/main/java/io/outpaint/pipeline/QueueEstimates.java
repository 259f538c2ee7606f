package io.outpaint.pipeline;

import io.outpaint.budget.BudgetGate;
import io.outpaint.job.Job;
import io.outpaint.media.InputVideos;
import io.outpaint.pricing.Estimate;
import io.outpaint.pricing.PriceShape;
import io.outpaint.pricing.Pricing;
import io.outpaint.request.OutpaintRequest;
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
 * function holds Scenario's credentials (the API and the upload trigger do). A job that still has
 * none waits for the budget with that reason: the budget cannot hold a cost it does not know.
 */
public final class QueueEstimates {

    private static final Logger LOG = LoggerFactory.getLogger(QueueEstimates.class);

    private final BudgetGate budgets;
    private final Supplier<Pricing> pricing;
    private final InputVideos inputs;
    private final boolean canDryRun;

    public QueueEstimates(BudgetGate budgets, Supplier<Pricing> pricing, InputVideos inputs, boolean canDryRun) {
        this.budgets = budgets;
        this.pricing = pricing;
        this.inputs = inputs;
        this.canDryRun = canDryRun;
    }

    public static QueueEstimates of(PipelineServices services) {
        return new QueueEstimates(services.budgets(), services::pricing, services.inputs(), services.config().hasScenarioCredentials());
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
        try {
            PriceShape shape = PriceShape.of(OutpaintRequest.fromJson(job.request()), () -> frames(job));
            Optional<Estimate> estimate = canDryRun ? Optional.of(pricing.get().estimate(shape)) : pricing.get().cached(shape);
            if (estimate.isEmpty()) {
                LOG.warn("job {}: no price cached for shape {} and no dry run from this function; it waits without an estimate",
                        job.jobId(), shape.key());
                return job;
            }
            return job.withBilling(job.billingOrNone().withEstimate(estimate.get().creativeUnits()), now);
        } catch (RuntimeException e) {
            LOG.warn("job {}: no estimate now ({}); it waits without one", job.jobId(), e.toString());
            return job;
        }
    }

    private OptionalInt frames(Job job) {
        if (job.source() == null || job.source().key() == null) {
            return OptionalInt.empty();
        }
        return inputs.frames(inputs.describe(job.source().bucket(), job.source().key(), job.source().versionId()));
    }
}
