package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingContext;
import io.outpaint.priming.PrimingHook;
import io.outpaint.priming.PrimingServices;
import io.outpaint.priming.PrimingSteps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * S3 ObjectCreated under {@code inputs/}: one job per uploaded video, whatever the number of deliveries.
 * It reads the event itself, with the Jackson it holds (so SnapStart's priming covers the read),
 * and answers the outcome of each record as a JSON array.
 */
public final class UploadTriggerHandler implements RequestStreamHandler {

    /** What one record of an S3 event says of the object, its key URL-decoded as S3 sends it encoded. */
    record Created(String bucket, String key, String versionId, String etag) {}

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    private final UploadTrigger trigger;

    public UploadTriggerHandler() {
        this(PipelineServices.shared(), Priming.global());
    }

    /** As Lambda builds it: a key outside the inputs (ignored, nothing written), the job id's hash, the store's reads and an event delivered again rehearsed over {@code PrimingServices}, primed. */
    public UploadTriggerHandler(PipelineServices services, Priming priming) {
        this(services);
        String bucket = services.config().bucket();
        byte[] event = ("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-24T10:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":\"1.0\","
                + "\"bucket\":{\"name\":" + JSON.valueToTree(bucket) + ",\"arn\":" + JSON.valueToTree("arn:aws:s3:::" + bucket) + "},"
                + "\"object\":{\"key\":\".outpaint-priming/absent+video.mp4\",\"size\":1,\"eTag\":\"0\",\"sequencer\":\"0\"}}}]}")
                .getBytes(StandardCharsets.UTF_8);
        List<PrimingHook.Step> steps = new ArrayList<>();
        steps.add(new PrimingHook.Step("an S3 event for an object outside the inputs, read and ignored", () ->
                handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(),
                        new PrimingContext(PipelineFunction.UPLOAD_TRIGGER.id()))));
        steps.add(new PrimingHook.Step("the job id of an upload", () ->
                UploadTrigger.jobIdFor(bucket, PrimingSteps.ABSENT_INPUT, "0")));
        steps.addAll(PrimingSteps.common(PipelineFunction.UPLOAD_TRIGGER, services));
        // an upload's event delivered again (its job exists): the path up to the job's lookup and the queue's dispatch,
        // over the priming services, which hold that job
        String input = io.outpaint.media.InputVideos.PREFIX + "outpaint-priming/sample.mp4";
        byte[] again = new String(event, StandardCharsets.UTF_8).replace(".outpaint-priming/absent+video.mp4", input)
                .getBytes(StandardCharsets.UTF_8);
        steps.add(new PrimingHook.Step("an upload's event delivered again" + PrimingServices.OVER, () -> {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            new UploadTriggerHandler(PrimingServices.over(services, PrimingServices.sampleJob(PipelineFunction.UPLOAD_TRIGGER,
                    UploadTrigger.jobIdFor(bucket, input, "0"), services.clock().instant())))
                    .handleRequest(new ByteArrayInputStream(again), answer, new PrimingContext(PipelineFunction.UPLOAD_TRIGGER.id()));
            if (!"[\"DUPLICATE\"]".equals(answer.toString(StandardCharsets.UTF_8))) {
                throw new IllegalStateException("the rehearsal's upload was not taken for one delivered again: " + answer);
            }
        }));
        priming.register(PipelineFunction.UPLOAD_TRIGGER.id(), steps);
    }

    public UploadTriggerHandler(PipelineServices services) {
        this.trigger = new UploadTrigger(services);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        List<String> outcomes = PowertoolsLogging.withLogging(context, () -> {
            List<String> done = new ArrayList<>();
            for (Created created : records(read(event))) {
                try {
                    done.add(trigger.onObjectCreated(created.bucket(), created.key(), created.versionId(), created.etag()).name());
                } finally {
                    MDC.clear();
                }
            }
            return done;
        });
        JSON.writeValue(output, outcomes);
    }

    private static JsonNode read(byte[] event) {
        try {
            return JSON.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an S3 event: the body is not JSON");
        }
    }

    /**
     * The records of an S3 event notification, each checked: a bucket name and an object key are
     * required. S3's test event (sent when a notification is set up) has none, and starts nothing.
     */
    static List<Created> records(JsonNode event) {
        if (event != null && "s3:TestEvent".equals(event.path("Event").asText(null))) {
            return List.of();
        }
        JsonNode records = event == null ? null : event.get("Records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("not an S3 event: Records must be an array");
        }
        List<Created> created = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode s3 = records.get(i).path("s3");
            String bucket = text(s3.path("bucket").path("name"), "Records[" + i + "].s3.bucket.name");
            String key = text(s3.path("object").path("key"), "Records[" + i + "].s3.object.key");
            try {
                key = URLDecoder.decode(key, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Records[" + i + "].s3.object.key is not URL-encoded as S3 sends it");
            }
            created.add(new Created(bucket, key, optionalText(s3.path("object").path("versionId")),
                    optionalText(s3.path("object").path("eTag"))));
        }
        return created;
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new IllegalArgumentException("not an S3 event: " + field + " must be a non-empty string");
        }
        return node.asText();
    }

    private static String optionalText(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
