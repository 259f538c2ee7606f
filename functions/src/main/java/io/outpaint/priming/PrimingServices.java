package io.outpaint.priming;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.config.PipelineConfig;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.media.ResultCopier;
import io.outpaint.notify.Notifier;
import io.outpaint.notify.WebhookPolicy;
import io.outpaint.pipeline.Lazy;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.queue.Executions;
import io.outpaint.queue.JobDurations;
import io.outpaint.request.StrictJson;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioCredentials;
import io.outpaint.scenario.ScenarioSettings;
import io.outpaint.store.DynamoJobDurations;
import io.outpaint.store.DynamoJobStore;
import io.outpaint.store.DynamoSlotLimiter;
import io.outpaint.store.EndCountingJobStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The services a function's own code runs over when SnapStart's priming invokes it: the same
 * settings and the same stores, and nothing that leaves the JVM. The stores are DynamoDB's, over a
 * DynamoDB that answers in the JVM and holds one sample job (and its shape's typical time);
 * notices go to an EventBridge that answers in the JVM too ({@link CannedAws}). No execution is
 * started, no webhook is sent, no S3 object is read or written, and the Scenario client's address
 * cannot resolve ({@code .invalid}): a call that should not happen fails at once instead of
 * reaching anyone.
 */
public final class PrimingServices {

    /** Where the priming's Scenario client points: a name that never resolves (RFC 2606). */
    public static final URI NOWHERE = URI.create("https://scenario.priming.invalid/v1");

    /** How a priming step that runs a handler's own path over these services ends its name. */
    public static final String OVER = ", over services that answer in the JVM";

    /** The table the rehearsal's stores name: one the JVM's own DynamoDB answers for. */
    static final String TABLE = "outpaint-priming";

    /** The event bus the priming's notices go to: one the JVM's own EventBridge answers for ({@link CannedAws}). */
    static final String BUS = "outpaint-priming";

    private PrimingServices() {}

    /** A copy of {@code real} over which nothing is read from or written to anything real; {@code sample} is the one job it knows. */
    public static PipelineServices over(PipelineServices real, Job sample) {
        // the job, and the typical time of its shape, as a job of that shape leaves them
        DynamoDbClient dynamo = CannedAws.dynamoDb("jobId", List.of(
                DynamoJobStore.itemOf(sample.version() == null ? sample.withVersion(1L) : sample),
                DynamoJobDurations.itemOf(JobDurations.shapeOf(sample.request()), 3, Duration.ofSeconds(75))));
        PipelineConfig config = rehearsal(real.config());
        String table = config.tableName();
        ScenarioClient scenario = new ScenarioClient(ScenarioSettings.of(NOWHERE, new ScenarioCredentials("priming", "priming")));
        Lazy<S3Client> s3 = refused("S3");
        Lazy<S3TransferManager> transfers = refused("S3");
        Lazy<SfnClient> sfn = refused("Step Functions");
        // the stores the functions use, with a job end counted nowhere (the sample job has ended already)
        return new PipelineServices(config, real.clock(), scenario,
                new EndCountingJobStore(new DynamoJobStore(dynamo, table), ended -> { }),
                new DynamoSlotLimiter(dynamo, table), new DynamoJobDurations(dynamo, table), REFUSING,
                new InputVideos(s3), new ResultCopier(scenario, transfers, s3), s3, sfn,
                new Notifier(null, Optional.of(BUS), real.clock(), WebhookPolicy.Resolver.SYSTEM, Lazy.of(CannedAws::eventBridge)));
    }

    /**
     * The job a function's priming invocation finds: for UploadInput one whose video is uploaded
     * already, for Submit one submitted already, for every other step one that has ended (the path a
     * step takes when its job was canceled while it waited). Each of these paths reads the job and
     * answers the next state, and none calls Scenario or S3.
     */
    public static Job sampleJob(PipelineFunction function, Instant now) {
        return sampleJob(function, PrimingSteps.ABSENT_JOB, now);
    }

    /** As {@link #sampleJob(PipelineFunction, Instant)}, under the id {@code jobId} (no real job has it). */
    public static Job sampleJob(PipelineFunction function, String jobId, Instant now) {
        ObjectNode request = (ObjectNode) StrictJson.read(PrimingSteps.SAMPLE_REQUEST.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        String execution = "arn:aws:states:us-east-1:000000000000:execution:outpaint:" + jobId;
        Job job = Job.queued(jobId, request,
                        new Job.Source("api", "outpaint", "inputs/sample.mp4", null, "\"etag\"", 1_048_576L, "video/mp4"),
                        execution, null, now, 1)
                .moveTo(JobStatus.ADMITTED, now, "priming")
                .moveTo(JobStatus.UPLOADING, now, null);
        job = job.withScenario(job.scenario().withVideoAssetId("asset_priming"), now);
        if (function == PipelineFunction.UPLOAD_INPUT) {
            return job;
        }
        job = job.moveTo(JobStatus.SUBMITTING, now, null).withScenario(job.scenario().withJob("job_priming", now), now)
                .moveTo(JobStatus.SUBMITTED, now, null);
        if (function == PipelineFunction.SUBMIT) {
            return job;
        }
        return job.moveTo(JobStatus.RUNNING, now, null).withProgress(1.0, now).moveTo(JobStatus.COPYING, now, null)
                .withOutput(new Job.Output("asset_priming_result", "outpaint", "outputs/" + jobId + "/result.mp4",
                        1_048_576L, "0".repeat(64), "video/mp4", 1280, 720, 5.0), now)
                .moveTo(JobStatus.SUCCEEDED, now, null);
    }

    /**
     * The function's settings with what the rehearsal must not share: a table name of its own (the
     * queue's dispatch groups calls per table name in a process), no wait for the queue's index (a
     * real dispatch waits for it to catch up; the JVM's table has no index to wait for), no secret
     * to fetch, and the JVM's own event bus.
     */
    static PipelineConfig rehearsal(PipelineConfig c) {
        return new PipelineConfig(TABLE, c.bucket(), c.stateMachineArn(), NOWHERE, Optional.empty(), Optional.empty(),
                Optional.empty(), c.maxJobsInFlight(), c.poll(), c.maxPollTime(), c.retentionDays(), c.s3PathStyle(),
                c.copyPartSizeBytes(), c.scenarioUploadPoll(), c.defaultPrompt(), Optional.empty(), Optional.empty(),
                c.webhookAllowHttp(), Optional.of(BUS), c.typicalJobTime(), Duration.ZERO, c.uploadEventGrace(),
                c.priceCacheTime(), c.budget(), c.maxInputDuration(),
                c.segmentOverlapFrames(), c.booksPeriod());
    }

    private static <T> Lazy<T> refused(String service) {
        return Lazy.of(() -> {
            throw new IllegalStateException("priming calls no " + service);
        });
    }

    /** Executions that priming never starts or looks up. */
    private static final Executions REFUSING = new Executions() {
        @Override
        public String start(String name, String jobId) {
            throw new StartRefusedException("priming starts no execution", null);
        }

        @Override
        public State describe(String executionArn) {
            throw new IllegalStateException("priming describes no execution");
        }

        @Override
        public String arnOf(String name) {
            return "arn:aws:states:us-east-1:000000000000:execution:outpaint:" + name;
        }
    };
}
