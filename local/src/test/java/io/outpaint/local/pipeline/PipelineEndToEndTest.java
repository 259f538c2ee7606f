package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.simulator.Route;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Whole jobs through the Step Functions endpoint, the real ASL file and the real handlers, against
 * the simulator; each test checks the path the execution took as well as where it ended.
 */
class PipelineEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPipeline pipeline;
    private static SfnClient sfn;
    private static S3Client s3;
    private static String inputKey;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // a limit of one Scenario job in flight; waits a hundredth of their length; stuck jobs time out after 6 s
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(1).withMaxPollSeconds(6)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(1500))
                .withDecorator(services -> services.withJobs(new CrashingJobStore(services.jobs()))));
        sfn = pipeline.cloud().stepFunctions();
        s3 = pipeline.cloud().s3();
        Path video = dir.resolve("street.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        inputKey = "inputs/street.mp4";
        s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(inputKey).contentType("video/mp4"), RequestBody.fromFile(video));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void clearFaults() {
        pipeline.simulator().faults().clear();
        pipeline.simulator().jobDuration(Duration.ofMillis(1500));
        CrashingJobStore.ARMED.set(false);
    }

    private static ObjectNode request(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static String run(ObjectNode request) throws Exception {
        String jobId = "job-" + UUID.randomUUID();
        await(pipeline.start(jobId, inputKey, request));
        return jobId;
    }

    private static DescribeExecutionResponse await(String executionArn) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(executionArn + " still running");
    }

    private static DescribeExecutionResponse execution(String jobId) {
        return sfn.describeExecution(b -> b.executionArn(executionArn(jobId)));
    }

    private static String executionArn(String jobId) {
        return pipeline.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + jobId;
    }

    private static List<HistoryEvent> history(String jobId) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn(jobId))).events().stream().toList();
    }

    /** The names of the states entered, in order, with repeats of the polling loop collapsed. */
    private static List<String> path(String jobId) {
        List<String> path = new ArrayList<>();
        for (HistoryEvent e : history(jobId)) {
            if (e.stateEnteredEventDetails() != null) {
                String name = e.stateEnteredEventDetails().name();
                boolean loop = List.of("WaitForProgress", "CheckStatus", "IsDone").contains(name)
                        && path.size() >= 3 && path.subList(path.size() - 3, path.size())
                        .equals(List.of("WaitForProgress", "CheckStatus", "IsDone"));
                if (!loop || !name.equals("WaitForProgress")) {
                    if (!(loop)) {
                        path.add(name);
                    }
                }
            }
        }
        return path;
    }

    private static long stateEntries(String jobId, String state) {
        return history(jobId).stream().filter(e -> e.stateEnteredEventDetails() != null
                && e.stateEnteredEventDetails().name().equals(state)).count();
    }

    private static List<String> lambdaErrors(String jobId) {
        return history(jobId).stream().filter(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .map(e -> e.lambdaFunctionFailedEventDetails().error()).toList();
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().find(jobId).orElseThrow();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void assertSucceededWithAVerifiedCopy(String jobId, int width, int height) throws Exception {
        assertThat(execution(jobId).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.outputs()).hasSize(1);
        Job.Output out = job.outputs().get(0);
        assertThat(out.key()).startsWith("outputs/" + jobId + "/").endsWith(".mp4");
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(out.bucket()).key(out.key())).asByteArray();
        assertThat(out.bytes()).isEqualTo(stored.length);
        assertThat(out.sha256()).isEqualTo(sha256(stored));
        Path file = dir.resolve(jobId + ".mp4");
        Files.write(file, stored);
        assertThat(Mp4Video.probe(file)).isEqualTo(new VideoInfo(width, height, 81, 16));
        assertThat(out.width()).isEqualTo(width);
        assertThat(pipeline.services().slots().holders()).doesNotContain(jobId);
    }

    @Test
    void outpaintsAVideoIntoTheBucketAndRecordsEveryStep() throws Exception {
        String jobId = run(request("{\"prompt\":\"a wider street\",\"resolution\":\"480p\",\"finish\":false}"));
        // 320x240 with every side at 0.25 is 480x360; at 480p the short side is 480: 640x480
        assertSucceededWithAVerifiedCopy(jobId, 640, 480);
        assertThat(path(jobId)).containsExactly("Identify", "NameTheJob", "Admit", "IsAdmitted", "UploadInput", "IsSplit", "Submit", "WaitForProgress", "CheckStatus", "IsDone",
                "CopyResults", "IsFinishing", "Notify", "Done");
        Job job = record(jobId);
        assertThat(job.history()).extracting(Job.StatusChange::status).containsSubsequence(
                JobStatus.QUEUED, JobStatus.ADMITTED, JobStatus.UPLOADING, JobStatus.SUBMITTING, JobStatus.SUBMITTED, JobStatus.COPYING,
                JobStatus.SUCCEEDED);
        assertThat(job.progress()).isEqualTo(1.0);
        assertThat(job.scenario().jobId()).startsWith("job_");
        assertThat(job.executionArn()).isEqualTo(executionArn(jobId));
        assertThat(job.request().path("numFrames").asInt()).isEqualTo(81); // defaults applied and recorded
        assertThat(lambdaErrors(jobId)).isEmpty();
        if (ffprobeInstalled()) {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=width,height", "-of", "csv=p=0", dir.resolve(jobId + ".mp4").toString()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes()).trim()).isEqualTo("640,480");
        }
    }

    @Test
    void plansATargetFromTheInputsHeadersInS3AndRecordsThePlan() throws Exception {
        String jobId = run(request("{\"prompt\":\"a taller street\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"1:1\"}}"));
        assertThat(record(jobId).status()).isEqualTo(JobStatus.SUCCEEDED);
        // 320x240 to 1:1: a 320x320 canvas, 40 px above and below, the source at y=40
        JsonNode framing = record(jobId).framing();
        assertThat(framing.path("canvas")).isEqualTo(JSON.readTree("{\"width\":320,\"height\":320}"));
        assertThat(framing.path("source")).isEqualTo(JSON.readTree("{\"x\":0,\"y\":40,\"width\":320,\"height\":240}"));
        assertThat(framing.path("sides")).isEqualTo(JSON.readTree("[\"top\",\"bottom\"]"));
        assertThat(record(jobId).request().has("target")).isTrue();
    }

    @Test
    void failsATargetTheVideoAlreadyHasNamingTheFieldBeforeUploading() throws Exception {
        String jobId = run(request("{\"prompt\":\"p\",\"target\":{\"aspectRatio\":\"4:3\"}}"));
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_REQUEST");
        assertThat(job.error().message()).contains("target.aspectRatio: the video is 320x240, already 4:3");
        assertThat(job.scenario().videoAssetId()).isNull();
    }

    @Test
    void recordsScenariosErrorAndHintWhenItsJobFails() throws Exception {
        pipeline.simulator().faults().nextFailingJobs(1, "The GPU ran out of memory", "Lower the resolution");
        String jobId = run(request("{\"prompt\":\"p\"}"));
        assertThat(execution(jobId).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(path(jobId)).containsExactly("Identify", "NameTheJob", "Admit", "IsAdmitted", "UploadInput", "IsSplit", "Submit", "WaitForProgress", "CheckStatus", "IsDone",
                "RecordFailure", "NotifyFailure", "JobDidNotSucceed");
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("SCENARIO_JOB_FAILED");
        assertThat(job.error().message()).isEqualTo("The GPU ran out of memory");
        assertThat(job.error().hint()).isEqualTo("Lower the resolution");
        assertThat(job.outputs()).isEmpty();
        assertThat(pipeline.services().slots().holders()).doesNotContain(jobId);
    }

    @Test
    void failsABadRequestWithEveryFieldNamedAndStartsNothingAtScenario() throws Exception {
        int uploads = pipeline.simulator().count(Route.CREATE_UPLOAD);
        String jobId = run(request("{\"prompt\":\"\",\"numFrames\":500}"));
        assertThat(path(jobId)).containsExactly("Identify", "NameTheJob", "Admit", "RecordFailure", "NotifyFailure", "JobDidNotSucceed");
        assertThat(lambdaErrors(jobId)).containsExactly("io.outpaint.request.InvalidRequestException");
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_REQUEST");
        assertThat(job.error().message()).contains("prompt").contains("numFrames: 500 is not allowed");
        assertThat(pipeline.simulator().count(Route.CREATE_UPLOAD)).isEqualTo(uploads);
    }

    @Test
    void survivesBurstsOfServerErrorsAndRateLimitsWithExactlyOneScenarioJob() throws Exception {
        int jobsBefore = pipeline.simulator().jobsCreated();
        int faultsBefore = pipeline.simulator().faultsServed();
        pipeline.simulator().faults().serverErrorRate(0.25).rateLimitRate(0.15).retryAfterSeconds(null);
        String jobId = run(request("{\"prompt\":\"p\",\"resolution\":\"480p\",\"finish\":false}"));
        pipeline.simulator().faults().clear();
        assertSucceededWithAVerifiedCopy(jobId, 640, 480);
        assertThat(pipeline.simulator().faultsServed() - faultsBefore).isPositive();
        assertThat(pipeline.simulator().jobsCreated() - jobsBefore).isEqualTo(1);
    }

    @Test
    void runsThreeJobsUnderALimitOfOneNeverTwoAtOnce() throws Exception {
        List<String> executions = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String jobId = "limited-" + i + "-" + UUID.randomUUID();
            ids.add(jobId);
            executions.add(pipeline.start(jobId, inputKey, request("{\"prompt\":\"p\",\"resolution\":\"480p\",\"finish\":false}")));
        }
        for (String arn : executions) {
            await(arn);
        }
        // started by hand while the slot was taken, two of them joined the queue: their first execution
        // ended there, with no error and nothing sent to Scenario, and a second one ran the job
        // in their order in the queue (the order their Admit steps ran in, not always the order they were started in):
        // with a limit of one, the next one's second execution starts only once the one before it has ended
        List<String> queued = ids.stream().filter(id -> path(id).equals(
                List.of("Identify", "NameTheJob", "Admit", "IsAdmitted", "HandedToQueue")))
                .sorted(java.util.Comparator.comparing(id -> record(id).queueKey())).toList();
        assertThat(queued).hasSizeGreaterThanOrEqualTo(2);
        for (String jobId : queued) {
            assertThat(lambdaErrors(jobId)).isEmpty();
            await(executionArn(jobId) + "-r2");
            assertThat(record(jobId).history()).extracting(Job.StatusChange::status)
                    .containsSubsequence(JobStatus.QUEUED, JobStatus.WAITING_FOR_SLOT, JobStatus.ADMITTED, JobStatus.SUCCEEDED);
        }
        for (String jobId : ids) {
            assertSucceededWithAVerifiedCopy(jobId, 640, 480);
        }
        assertThat(pipeline.simulator().peakJobsInFlight()).isEqualTo(1);
    }

    @Test
    void fetchesTheAssetAgainWhenItsUrlHasExpired() throws Exception {
        pipeline.simulator().faults().nextExpiredUrls(1);
        int downloads = pipeline.simulator().count(Route.DOWNLOAD);
        int assets = pipeline.simulator().count(Route.GET_ASSET);
        String jobId = run(request("{\"prompt\":\"p\",\"resolution\":\"480p\",\"finish\":false}"));
        assertSucceededWithAVerifiedCopy(jobId, 640, 480);
        assertThat(pipeline.simulator().count(Route.DOWNLOAD) - downloads).isEqualTo(2); // one 403, one good
        assertThat(pipeline.simulator().count(Route.GET_ASSET) - assets).isEqualTo(2);
    }

    @Test
    void resumesACopyWhoseConnectionDropped() throws Exception {
        pipeline.simulator().faults().nextDroppedDownloads(1);
        int downloads = pipeline.simulator().count(Route.DOWNLOAD);
        String jobId = run(request("{\"prompt\":\"p\",\"resolution\":\"480p\",\"finish\":false}"));
        assertSucceededWithAVerifiedCopy(jobId, 640, 480);
        assertThat(pipeline.simulator().count(Route.DOWNLOAD) - downloads).isEqualTo(2); // the broken one and the resumption
        assertThat(pipeline.simulator().faultsServed()).isPositive();
    }

    @Test
    void anUploadThatOutlivesItsFunctionIsRetriedOnceAsLambdaUnknownThenFailsTheJob() throws Exception {
        pipeline.functionTimeout(PipelineFunction.UPLOAD_INPUT, Duration.ofMillis(300));
        pipeline.simulator().faults().latency(Duration.ofMillis(1500));
        try {
            String jobId = run(request("{\"prompt\":\"p\",\"resolution\":\"480p\",\"finish\":false}"));
            assertThat(execution(jobId).status()).isEqualTo(ExecutionStatus.FAILED);
            // the function timed out (Lambda reports Sandbox.Timedout, Step Functions names it Lambda.Unknown): retried once
            assertThat(lambdaErrors(jobId)).containsExactly("Lambda.Unknown", "Lambda.Unknown");
            assertThat(path(jobId)).containsExactly("Identify", "NameTheJob", "Admit", "IsAdmitted", "UploadInput",
                    "RecordFailure", "NotifyFailure", "JobDidNotSucceed");
            Job job = record(jobId);
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.error().code()).isEqualTo("FUNCTION_CRASHED");
            assertThat(job.error().message()).contains("Task timed out after 0.30 seconds");
            assertThat(pipeline.services().slots().holders()).doesNotContain(jobId);
        } finally {
            pipeline.simulator().faults().latency(Duration.ZERO);
            pipeline.functionTimeout(PipelineFunction.UPLOAD_INPUT, Duration.ofSeconds(PipelineFunction.UPLOAD_INPUT.timeoutSeconds()));
        }
    }

    @Test
    void endsAStuckJobAsTimedOut() throws Exception {
        pipeline.simulator().faults().stuckJobs(true);
        String jobId = run(request("{\"prompt\":\"p\"}"));
        assertThat(execution(jobId).status()).isEqualTo(ExecutionStatus.FAILED);
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(job.error().code()).isEqualTo("TIMED_OUT");
        assertThat(stateEntries(jobId, "CheckStatus")).isGreaterThan(3);
        assertThat(path(jobId)).endsWith("IsDone", "RecordFailure", "NotifyFailure", "JobDidNotSucceed");
        assertThat(pipeline.services().slots().holders()).doesNotContain(jobId);
    }

    @Test
    void aCrashBetweenScenariosAnswerAndOurWriteStartsNoSecondScenarioJob() throws Exception {
        CrashingJobStore.ARMED.set(true);
        int jobsBefore = pipeline.simulator().jobsCreated();
        String jobId = run(request("{\"prompt\":\"crash test\",\"resolution\":\"480p\",\"finish\":false}"));
        assertThat(CrashingJobStore.ARMED).isFalse(); // the crash happened
        assertSucceededWithAVerifiedCopy(jobId, 640, 480);
        assertThat(lambdaErrors(jobId)).containsExactly("software.amazon.awssdk.core.exception.SdkClientException");
        assertThat(stateEntries(jobId, "Submit")).isEqualTo(1); // one state, retried inside it
        assertThat(pipeline.simulator().jobsCreated() - jobsBefore).isEqualTo(1);
        assertThat(pipeline.simulator().count(Route.LIST_JOBS)).isPositive();
    }

    private static boolean ffprobeInstalled() {
        try {
            return new ProcessBuilder("ffprobe", "-version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
