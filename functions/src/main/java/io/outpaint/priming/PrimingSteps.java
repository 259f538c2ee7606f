package io.outpaint.priming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.media.InputVideos;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;
import io.outpaint.pipeline.StepStateJson;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.awssdk.services.s3.model.S3Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The priming steps the functions share. Every call reads a key that cannot exist (no job has
 * this id: ids made here are UUIDs or {@code s3-} hashes) and none writes; Scenario is never called.
 */
public final class PrimingSteps {

    private static final Logger LOG = LoggerFactory.getLogger(PrimingSteps.class);

    /** A job id no real job has (the rehearsal's sample job takes it, in the JVM's own table: {@link PrimingServices}). */
    public static final String ABSENT_JOB = "outpaint-priming-absent-job";
    /** An input key no upload has. */
    public static final String ABSENT_INPUT = InputVideos.PREFIX + ".outpaint-priming/absent.mp4";

    /** A step's state as the state machine passes it, every part filled in, for a Jackson round trip. */
    public static final String SAMPLE_STATE = "{\"jobId\":\"" + ABSENT_JOB + "\","
            + "\"executionArn\":\"arn:aws:states:us-east-1:000000000000:execution:outpaint:" + ABSENT_JOB + "\","
            + "\"video\":{\"bucket\":\"outpaint\",\"key\":\"inputs/sample.mp4\"},"
            + "\"request\":{\"prompt\":\"a sunny seaside street, wide shot\",\"resolution\":\"480p\"},"
            + "\"nextDelaySeconds\":15,\"observation\":{\"progress\":0.5,\"atMillis\":1795003200000},"
            + "\"submittedAtMillis\":1795003200000,\"expectedSeconds\":60,"
            + "\"error\":{\"Error\":\"io.outpaint.media.InvalidInputException\",\"Cause\":\"{}\"},"
            // a Catch's state, as RecordFailure gets it: the error in "previous", its Cause the Lambda runtime's JSON of the exception
            + "\"previous\":{\"jobId\":\"" + ABSENT_JOB + "\",\"outcome\":\"ADMITTED\","
            + "\"error\":{\"Error\":\"io.outpaint.media.InvalidInputException\",\"Cause\":\"{\\\"errorMessage\\\":"
            + "\\\"no object inputs/sample.mp4 in bucket outpaint\\\",\\\"errorType\\\":"
            + "\\\"io.outpaint.media.InvalidInputException\\\",\\\"stackTrace\\\":[]}\"}}}";

    /** A create request's model inputs, as a client sends them, for the validation path. */
    public static final String SAMPLE_REQUEST = "{\"prompt\":\"a sunny seaside street, wide shot\",\"resolution\":\"480p\","
            + "\"expandRatio\":0.25,\"numFrames\":81,\"framesPerSecond\":16}";

    private PrimingSteps() {}

    /** What every function of the catalogue primes: the job store's read, under Powertools logging, and the S3 reads it may make. */
    public static List<PrimingHook.Step> common(PipelineFunction function, PipelineServices services) {
        List<PrimingHook.Step> steps = new ArrayList<>();
        steps.add(new PrimingHook.Step("DynamoDB GetItem of an absent job, one log line with a job's fields", () ->
                PowertoolsLogging.withLogging(new PrimingContext(function.id()), () -> {
                    try {
                        // the fields a step's log lines carry, so the first real line finds its layout ready
                        MDC.put("jobId", ABSENT_JOB);
                        MDC.put("step", function.id());
                        services.jobs().prime(ABSENT_JOB);
                        LOG.info("priming: read job {} (absent, as expected)", ABSENT_JOB);
                    } finally {
                        MDC.clear();
                    }
                    return null;
                })));
        if (function.dynamoActions().contains("dynamodb:UpdateItem")) {
            steps.add(new PrimingHook.Step("DynamoDB UpdateItem of an absent job, refused by its condition", () ->
                    services.jobs().primeUpdate(ABSENT_JOB)));
        }
        if (function.dynamoActions().contains("dynamodb:Query")) {
            steps.add(new PrimingHook.Step("DynamoDB Query of the queue's head", () -> services.jobs().waiting(1)));
        }
        if (function.needs(PipelineFunction.Need.SCENARIO) && function != PipelineFunction.API) {
            // the functions that call Scenario read the job's request back through the same rules
            steps.add(requestValidation());
        }
        if (function.needs(PipelineFunction.Need.EVENTS)) {
            steps.add(new PrimingHook.Step("EventBridge and webhook clients, nothing sent", () -> services.notifier().prime()));
        }
        if (function.needs(PipelineFunction.Need.START_EXECUTIONS) || function.needs(PipelineFunction.Need.STOP_EXECUTIONS)
                || function.needs(PipelineFunction.Need.DESCRIBE_EXECUTIONS)) {
            // built, not called: a call would need a real execution's ARN, and building is most of the cost
            steps.add(new PrimingHook.Step("Step Functions client, nothing called", services::sfn));
        }
        if (function.needs(PipelineFunction.Need.INPUTS_READ)) {
            steps.add(new PrimingHook.Step("S3 HeadObject of an absent input", () -> readAbsent(services, false)));
            steps.add(new PrimingHook.Step("S3 GetObject of an absent input's first bytes", () -> readAbsent(services, true)));
        }
        return steps;
    }

    /** A step's state read and written back, as the handler reads and writes it. */
    public static PrimingHook.Step stateRoundTrip(ObjectMapper json) {
        return new PrimingHook.Step("round trip of a step state through Jackson's tree", () -> {
            StepState state = StepStateJson.read(json, SAMPLE_STATE.getBytes(StandardCharsets.UTF_8));
            StepStateJson.read(json, json.writeValueAsBytes(StepStateJson.tree(state)));
        });
    }

    /** The metrics' EMF document built and serialized as a flush does, and not written. */
    public static PrimingHook.Step metricsDocument(PipelineFunction function) {
        return new PrimingHook.Step("a metrics document serialized, not emitted", () -> {
            MetricsContext metrics = new MetricsContext();
            metrics.setNamespace("Outpaint");
            metrics.putDimension("Service", "outpaint");
            metrics.putMetric(function.id() + "Ok", 1, Unit.COUNT);
            metrics.putMetric(function.id() + "Duration", 1.5, Unit.MILLISECONDS);
            metrics.serialize();
        });
    }

    /** The create request's strict parse and validation. */
    public static PrimingHook.Step requestValidation() {
        return new PrimingHook.Step("parse, validate and write back a create request", () ->
                OutpaintRequest.fromJson(StrictJson.read(SAMPLE_REQUEST.getBytes(StandardCharsets.UTF_8)).orElseThrow()).toJson());
    }

    private static void readAbsent(PipelineServices services, boolean get) {
        try {
            if (get) {
                services.s3().getObjectAsBytes(b -> b.bucket(services.config().bucket()).key(ABSENT_INPUT).range("bytes=0-65535"));
            } else {
                services.s3().headObject(b -> b.bucket(services.config().bucket()).key(ABSENT_INPUT));
            }
        } catch (NoSuchKeyException absent) {
            // the answer expected
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }
}
