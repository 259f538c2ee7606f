package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.UploadTrigger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** S3 ObjectCreated under {@code inputs/}: one job per uploaded video, whatever the number of deliveries. */
public final class UploadTriggerHandler implements RequestHandler<S3Event, List<String>> {

    private final UploadTrigger trigger;

    public UploadTriggerHandler() {
        this(PipelineServices.shared());
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
