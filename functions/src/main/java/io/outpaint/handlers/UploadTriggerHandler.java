package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingContext;
import io.outpaint.priming.PrimingHook;
import io.outpaint.priming.PrimingSteps;
import io.outpaint.pipeline.UploadTrigger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** S3 ObjectCreated under {@code inputs/}: one job per uploaded video, whatever the number of deliveries. */
public final class UploadTriggerHandler implements RequestHandler<S3Event, List<String>> {

    private final UploadTrigger trigger;

    public UploadTriggerHandler() {
        this(PipelineServices.shared(), Priming.global());
    }

    /** As Lambda builds it: a key outside the inputs (ignored, nothing written), the job id's hash and the store's reads, primed. */
    public UploadTriggerHandler(PipelineServices services, Priming priming) {
        this(services);
        List<PrimingHook.Step> steps = new ArrayList<>();
        steps.add(new PrimingHook.Step("an S3 event for an object outside the inputs, ignored", () -> handleRequest(
                new S3Event(List.of(new S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3",
                        "2026-11-24T10:00:00.000Z", "2.1", null, null,
                        new S3EventNotification.S3Entity("priming", new S3EventNotification.S3BucketEntity(services.config().bucket(),
                                null, "arn:aws:s3:::" + services.config().bucket()),
                                new S3EventNotification.S3ObjectEntity(".outpaint-priming/absent.mp4", 1L, "0", null, "0"), "1.0"),
                        null))), new PrimingContext(PipelineFunction.UPLOAD_TRIGGER.id()))));
        steps.add(new PrimingHook.Step("the job id of an upload", () ->
                UploadTrigger.jobIdFor(services.config().bucket(), PrimingSteps.ABSENT_INPUT, "0")));
        steps.addAll(PrimingSteps.common(PipelineFunction.UPLOAD_TRIGGER, services));
        priming.register(PipelineFunction.UPLOAD_TRIGGER.id(), steps);
    }

    public UploadTriggerHandler(PipelineServices services) {
        this.trigger = new UploadTrigger(services);
    }

    @Override
    public List<String> handleRequest(S3Event event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            List<String> outcomes = new ArrayList<>();
            for (var record : event.getRecords()) {
                var s3 = record.getS3();
                try {
                    outcomes.add(trigger.onObjectCreated(s3.getBucket().getName(), s3.getObject().getUrlDecodedKey(),
                            s3.getObject().getVersionId(), s3.getObject().geteTag()).name());
                } finally {
                    MDC.clear();
                }
            }
            return outcomes;
        });
    }
}
