package io.outpaint.priming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.outpaint.config.PipelineConfig;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.DynamoJobStore;
import io.outpaint.store.JobStore;
import java.net.URI;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every function of the catalogue registers its priming where Lambda builds its handler, and a
 * priming runs its path without throwing, reading only, when nothing answers at the endpoints.
 */
class PrimingTest {

    private static final Map<String, String> PROPERTIES = Map.of("aws.region", "us-east-1", "aws.accessKeyId", "priming",
            "aws.secretAccessKey", "priming", "aws.endpointUrlDynamoDb", "", "aws.endpointUrlS3", "", "aws.endpointUrlSfn", "",
            "aws.maxAttempts", "1");
    private static final Map<String, String> saved = new java.util.HashMap<>();
    private static PipelineServices unreachable;

    /** Store calls, by name and id; the writes must stay absent. */
    private static final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pointAtAClosedPort() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        for (var e : PROPERTIES.entrySet()) {
            saved.put(e.getKey(), System.getProperty(e.getKey()));
            System.setProperty(e.getKey(), e.getValue().isEmpty() ? "http://127.0.0.1:" + closed : e.getValue());
        }
        // Scenario too is given a closed port: priming never calls it, and the test would not notice if it did (a failure is swallowed)
        PipelineServices real = PipelineServices.fromConfig(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:outpaint", "S3_PATH_STYLE", "true",
                "SCENARIO_API_URL", "http://127.0.0.1:" + closed + "/v1", "SCENARIO_API_KEY", "k", "SCENARIO_API_SECRET", "s")));
        // the real store over a client that does not retry a refused connection (DynamoDB's default retries 8 times)
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + closed))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        unreachable = real.withJobs(recording(new DynamoJobStore(dynamo, "t")));
    }

    @AfterAll
    static void restore() {
        saved.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(PipelineFunction.class)
    void eachFunctionRegistersOneHookUnderItsName(PipelineFunction function) throws Exception {
        Priming priming = Priming.recording();
        handlerFor(function, priming);
        assertThat(priming.hooks()).extracting(PrimingHook::function).containsExactly(function.id());
        assertThat(priming.hooks().get(0).steps()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(PipelineFunction.class)
    void primingRunsThePathAndDoesNotThrowWhenNothingAnswers(PipelineFunction function) throws Exception {
        Priming priming = Priming.recording();
        handlerFor(function, priming);
        calls.clear();
        PrimingHook hook = priming.hooks().get(0);

        assertThatCode(() -> hook.beforeCheckpoint(null)).doesNotThrowAnyException();
        PrimingHook.Report report = hook.prime();

        assertThat(calls).contains("prime " + PrimingSteps.ABSENT_JOB).noneMatch(c -> c.startsWith("create") || c.startsWith("update"));
        assertThat(report.failed()).anyMatch(f -> f.startsWith("DynamoDB GetItem of an absent job"));
        if (function.dynamoActions().contains("dynamodb:UpdateItem")) {
            assertThat(calls).contains("primeUpdate " + PrimingSteps.ABSENT_JOB);
        } else {
            assertThat(calls).noneMatch(c -> c.startsWith("primeUpdate"));
        }
        assertThat(report.primed().size() + report.failed().size()).isEqualTo(hook.steps().size());
        // the handler's own path, rehearsed over the priming's services: it needs nothing here to answer, and it runs through
        assertThat(report.primed()).filteredOn(p -> p.endsWith(PrimingServices.OVER)).hasSize(1);
        assertThat(calls).noneMatch(c -> c.contains("s3-"));
        if (function.isStep()) {
            assertThat(report.primed()).contains("round trip of a step state through Jackson's tree", "a metrics document serialized, not emitted",
                    "the metrics logger, flushed empty");
        }
        if (function == PipelineFunction.RECONCILE) {
            assertThat(report.primed()).contains("a status-change event it ignores (its job id read first)");
        }
        if (function == PipelineFunction.UPLOAD_TRIGGER) {
            assertThat(report.primed()).contains("an S3 event for an object outside the inputs, read and ignored");
        }
        if (function == PipelineFunction.API) {
            assertThat(report.primed()).contains("parse, validate and write back a create request", "presign an upload URL");
            // its lookup of the video needs S3 to answer: here it fails, is logged and passed over
            assertThat(report.failed()).anyMatch(f -> f.startsWith("POST /jobs of a video that does not exist"));
        }
    }

    @ParameterizedTest
    @EnumSource(PipelineFunction.class)
    void theRehearsalTakesItsPathAndLeavesNothingAnOperatorWouldSee(PipelineFunction function) throws Exception {
        Priming priming = Priming.recording();
        handlerFor(function, priming);
        PrimingHook.Step rehearsal = priming.hooks().get(0).steps().stream()
                .filter(s -> s.name().endsWith(PrimingServices.OVER)).findFirst().orElseThrow();
        calls.clear();
        java.io.PrintStream err = System.err;
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            // run as the hook runs it, but not through the hook, which would log a failure and go on
            rehearsal.call().run();
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        String lines = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
        // no line an alarm's metric filter or an operator reads (a job that ends, a refused dispatch), no metric emitted
        assertThat(lines).as(lines).doesNotContain("WARN ").doesNotContain("ERROR");
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("CloudWatchMetrics");
        assertThat(calls).as("calls on the real store").isEmpty();
    }

    /** The handler the catalogue names, built as its no-argument constructor builds it, over the given services. */
    private static Object handlerFor(PipelineFunction function, Priming priming) throws Exception {
        Class<?> type = Class.forName(function.handler());
        if (function.isStep()) {
            return type.getConstructor(PipelineFunction.class, PipelineServices.class, Priming.class)
                    .newInstance(function, unreachable, priming);
        }
        return type.getConstructor(PipelineServices.class, Priming.class).newInstance(unreachable, priming);
    }

    private static JobStore recording(JobStore real) {
        return new JobStore() {
            @Override public boolean create(Job job) { calls.add("create " + job.jobId()); return real.create(job); }
            @Override public Optional<Job> find(String jobId) { calls.add("find " + jobId); return real.find(jobId); }
            @Override public Job update(String jobId, UnaryOperator<Job> change) { calls.add("update " + jobId); return real.update(jobId, change); }
            @Override public Page list(Optional<JobStatus> status, int limit, Optional<String> token) { calls.add("list"); return real.list(status, limit, token); }
            @Override public List<Job> waiting(int limit) { calls.add("waiting"); return real.waiting(limit); }
            @Override public long waitingAhead(Job job) { calls.add("waitingAhead"); return real.waitingAhead(job); }
            @Override public void prime(String jobId) { calls.add("prime " + jobId); real.prime(jobId); }
            @Override public void primeUpdate(String jobId) { calls.add("primeUpdate " + jobId); real.primeUpdate(jobId); }
        };
    }
}
