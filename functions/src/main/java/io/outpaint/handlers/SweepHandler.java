package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingContext;
import io.outpaint.priming.PrimingHook;
import io.outpaint.priming.PrimingServices;
import io.outpaint.priming.PrimingSteps;
import io.outpaint.pipeline.Reconcile;
import io.outpaint.pipeline.Sweep;
import io.outpaint.pipeline.UploadTrigger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The scheduled sweep (any event starts it): resumes or reconciles stranded jobs, frees slots, admits waiting jobs. */
public final class SweepHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    private final Sweep sweep;

    public SweepHandler() {
        this(PipelineServices.shared(), Priming.global());
    }

    /** As Lambda builds it: the store's reads and the report's JSON primed, and a whole sweep rehearsed over {@code PrimingServices}, which reach nothing. */
    public SweepHandler(PipelineServices services, Priming priming) {
        this(services);
        List<PrimingHook.Step> steps = new ArrayList<>(PrimingSteps.common(PipelineFunction.SWEEP, services));
        steps.add(new PrimingHook.Step("Jackson write of a report", () ->
                JSON.writeValueAsBytes(Sweep.Report.empty())));
        // the sweep writes, so it runs over the priming's own services: it finds nothing to repair and no one waiting
        steps.add(new PrimingHook.Step("an invocation" + PrimingServices.OVER, () -> {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            new SweepHandler(PrimingServices.over(services, PrimingServices.sampleJob(PipelineFunction.SWEEP, services.clock().instant())))
                    .handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), answer,
                            new PrimingContext(PipelineFunction.SWEEP.id()));
            if (!JSON.readValue(answer.toByteArray(), Sweep.Report.class).equals(Sweep.Report.empty())) {
                throw new IllegalStateException("the rehearsal's sweep found something to do: " + answer);
            }
        }));
        priming.register(PipelineFunction.SWEEP.id(), steps);
    }

    public SweepHandler(PipelineServices services) {
        UploadTrigger trigger = new UploadTrigger(services);
        // an API job's upload whose S3 event was lost takes the trigger's own path
        Sweep.AwaitedUploads uploads = job -> services.inputs().exists(job.source().bucket(), job.source().key())
                && trigger.onAwaitedUpload(job.source().bucket(), job.source().key(), null)
                        .filter(outcome -> outcome != UploadTrigger.Outcome.DUPLICATE).isPresent();
        this.sweep = new Sweep(services.jobs(), services.slots(), services.executions(),
                new Reconcile(services.jobs(), services.admission(), services.clock()), services.admission(),
                services.config().maxJobsInFlight(), uploads, services.config().uploadEventGrace(), services.clock())
                .withBudgets(services.budgets())
                // a parent the fan-in's repair fails is notified as the failing segment's Notify step would have
                .withFanIn(io.outpaint.pipeline.SegmentFanIn.of(services).withNotices(new io.outpaint.pipeline.Notify(services.jobs(),
                        services.notifier(), io.outpaint.notify.WebhookPolicy.of(services.config()))::send));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        Sweep.Report report = PowertoolsLogging.withLogging(context, sweep::run);
        JSON.writeValue(output, report);
    }
}
