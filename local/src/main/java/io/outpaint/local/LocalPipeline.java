package io.outpaint.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.config.PipelineConfig;
import io.outpaint.handlers.ApiHandler;
import io.outpaint.handlers.ReconcileHandler;
import io.outpaint.handlers.StepHandler;
import io.outpaint.handlers.SweepHandler;
import io.outpaint.handlers.UploadTriggerHandler;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.simulator.ScenarioSimulator;
import io.outpaint.store.DynamoJobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The whole system on one machine: the Scenario simulator, the local cloud, the real handlers
 * built by the production wiring (pointed at the emulators only through the SDK's endpoint
 * settings), and the real {@code statemachine/outpaint.asl.json}.
 */
public final class LocalPipeline implements AutoCloseable {

    public static final String BUCKET = "outpaint-local";
    public static final String TABLE = "outpaint-jobs";
    public static final String STATE_MACHINE = "outpaint";
    public static final String UPLOAD_TRIGGER = PipelineFunction.UPLOAD_TRIGGER.localName();
    public static final String API = PipelineFunction.API.localName();
    public static final String STATE_MACHINE_ARN =
            "arn:aws:states:" + FunctionRegistry.REGION + ":" + FunctionRegistry.ACCOUNT + ":stateMachine:" + STATE_MACHINE;

    /** How to run: limits, clocks, and an optional wrapper around the services (tests inject faults with it). */
    public record Settings(int maxJobsInFlight, int maxPollSeconds, double timeScale, long dynamicWaitMillis,
                           Duration scenarioJobDuration, int simulatorPort, UnaryOperator<PipelineServices> decorate,
                           boolean uploadTrigger, Duration sweepEvery) {
        public Settings(int maxJobsInFlight, int maxPollSeconds, double timeScale, long dynamicWaitMillis,
                        Duration scenarioJobDuration, int simulatorPort, UnaryOperator<PipelineServices> decorate, boolean uploadTrigger) {
            this(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate,
                    uploadTrigger, Duration.ofSeconds(30));
        }
        /** Interactive use: real time, jobs of 20 s, a job for every video put under inputs/. */
        public static Settings interactive() {
            return new Settings(2, 4 * 3600, 1.0, 0, Duration.ofSeconds(20), 0, s -> s, true);
        }
        /** How often the sweep runs (it runs at start too); zero for only at start. */
        public Settings withSweepEvery(Duration value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger, value); }
        /** Without the S3 trigger: jobs start only when an execution is started. */
        public Settings withoutUploadTrigger() { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, false); }
        public Settings withLimit(int value) { return new Settings(value, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger); }
        public Settings withMaxPollSeconds(int value) { return new Settings(maxJobsInFlight, value, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger); }
        public Settings withTime(double scale, long dynamicWait) { return new Settings(maxJobsInFlight, maxPollSeconds, scale, dynamicWait, scenarioJobDuration, simulatorPort, decorate, uploadTrigger); }
        public Settings withJobDuration(Duration value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, value, simulatorPort, decorate, uploadTrigger); }
        public Settings withDecorator(UnaryOperator<PipelineServices> value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, value, uploadTrigger); }
    }

    private final ScenarioSimulator simulator;
    private final LocalCloud cloud;
    private final PipelineServices services;
    private final String stateMachineArn;
    private final HttpApi httpApi;
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    private final Map<PipelineFunction, PipelineServices> functionServices = new java.util.EnumMap<>(PipelineFunction.class);
    private final String webhookSecret = "whsec-" + java.util.UUID.randomUUID();

    private LocalPipeline(Settings settings) throws Exception {
        this.simulator = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withPort(settings.simulatorPort())
                .withJobDuration(settings.scenarioJobDuration()));
        FunctionRegistry functions = new FunctionRegistry();
        this.cloud = LocalCloud.start(LocalCloud.Options.defaults().withTime(settings.timeScale(), settings.dynamicWaitMillis())
                .withStatusChangesTo(PipelineFunction.RECONCILE.localName()), functions);
        pointSdkAt(cloud);
        Map<String, String> environment = environment(settings);
        this.services = settings.decorate().apply(PipelineServices.fromConfig(PipelineConfig.fromEnvironment(environment)));
        // each function runs with the environment the stack gives it: only what its catalogue entry needs
        for (PipelineFunction function : PipelineFunction.values()) {
            PipelineServices own = settings.decorate().apply(
                    PipelineServices.fromConfig(PipelineConfig.fromEnvironment(function.environment(environment))));
            functionServices.put(function, own);
            functions.register(function.localName(), () -> handler(function, own), Duration.ofSeconds(function.timeoutSeconds()),
                    function.memoryMb());
        }

        DynamoJobStore.createTableIfMissing(cloud.dynamoDb(), TABLE);
        try (var s3 = cloud.s3()) {
            try {
                s3.createBucket(b -> b.bucket(BUCKET));
            } catch (BucketAlreadyOwnedByYouException e) {
                // kept from an earlier start
            }
            s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        }
        this.stateMachineArn = createStateMachine();
        if (settings.uploadTrigger()) {
            cloud.notifyOnCreate(BUCKET, "inputs/", UPLOAD_TRIGGER);
        }
        this.httpApi = new HttpApi(functions, API, 0);
        this.sweeper = startSweeping(settings.sweepEvery());
    }

    private String createStateMachine() throws IOException {
        String definition = definition();
        try (var sfn = cloud.stepFunctions()) {
            return sfn.createStateMachine(b -> b.name(STATE_MACHINE).definition(definition)
                    .roleArn("arn:aws:iam::" + FunctionRegistry.ACCOUNT + ":role/outpaint-local")).stateMachineArn();
        }
    }

    /** The Step Functions endpoint restarted with nothing (every execution vanished), the state machine deployed again. */
    public void restartStepFunctions() throws IOException {
        cloud.restartStepFunctions();
        createStateMachine();
    }

    /** The handler the catalogue names for a function, built over that function's own services. */
    private static Object handler(PipelineFunction function, PipelineServices services) {
        return switch (function) {
            case API -> new ApiHandler(services);
            case UPLOAD_TRIGGER -> new UploadTriggerHandler(services);
            case RECONCILE -> new ReconcileHandler(services);
            case SWEEP -> new SweepHandler(services);
            default -> new StepHandler(function, services);
        };
    }

    /** The sweep, as the stack's schedule runs it: once now (jobs left unended by an earlier run resume), then periodically. */
    private java.util.concurrent.ScheduledExecutorService startSweeping(Duration every) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outpaint-sweep");
            t.setDaemon(true);
            return t;
        });
        Runnable sweep = () -> {
            try {
                sweep();
            } catch (Exception e) {
                System.err.println("sweep failed: " + e.getMessage());
            }
        };
        timer.execute(sweep);
        if (!every.isZero()) {
            timer.scheduleWithFixedDelay(sweep, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return timer;
    }

    /** Gives one function another timeout from now on, as a redeployment with another setting would (tests of timeouts). */
    public void functionTimeout(PipelineFunction function, Duration timeout) {
        PipelineServices own = functionServices.get(function);
        cloud.functions().register(function.localName(), () -> handler(function, own), timeout, function.memoryMb());
    }

    /** Runs the sweep function once, through the local Lambda endpoint; its report as JSON. */
    public String sweep() throws Exception {
        return new String(cloud.functions().invoke(PipelineFunction.SWEEP.localName(), "{}".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    public static LocalPipeline start(Settings settings) throws Exception {
        return new LocalPipeline(settings);
    }

    /** The deployed definition: the ASL file with each function's ARN substituted, as the stack does. */
    public static String definition() throws IOException {
        try (InputStream in = LocalPipeline.class.getResourceAsStream("/statemachine/outpaint.asl.json")) {
            if (in == null) {
                throw new IOException("statemachine/outpaint.asl.json is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (PipelineFunction function : PipelineFunction.values()) {
                if (function.placeholder().isPresent()) {
                    text = text.replace("${" + function.placeholder().get() + "}", FunctionRegistry.arnOf(function.localName()));
                }
            }
            return text;
        }
    }

    /** The pipeline's configuration for a local run, as Lambda would get it in its environment. */
    private Map<String, String> environment(Settings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", TABLE);
        env.put("BUCKET_NAME", BUCKET);
        env.put("STATE_MACHINE_ARN", STATE_MACHINE_ARN);
        env.put("SCENARIO_API_URL", simulator.apiUrl());
        env.put("SCENARIO_API_KEY", simulator.apiKey());
        env.put("SCENARIO_API_SECRET", simulator.apiSecret());
        env.put("MAX_JOBS_IN_FLIGHT", Integer.toString(settings.maxJobsInFlight()));
        env.put("MAX_POLL_SECONDS", Integer.toString(settings.maxPollSeconds()));
        env.put("S3_PATH_STYLE", "true");
        // this run's own signing key; local receivers may listen on plain http
        env.put("WEBHOOK_SECRET", webhookSecret);
        env.put("WEBHOOK_ALLOW_HTTP", "true");
        env.put("SCENARIO_UPLOAD_POLL_MILLIS", "200");
        // simulated jobs last seconds, not minutes: look early and often enough to show their progress
        env.put("POLL_MIN_SECONDS", "1");
        env.put("POLL_FIRST_SECONDS", "2");
        env.put("POLL_QUIET_MAX_SECONDS", "5");
        return env;
    }

    /** Points every SDK client built in this JVM at the local cloud, through the SDK's own settings. */
    private static void pointSdkAt(LocalCloud cloud) {
        System.setProperty("aws.region", FunctionRegistry.REGION);
        System.setProperty("aws.accessKeyId", LocalCloud.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalCloud.SECRET_KEY);
        System.setProperty("aws.endpointUrlS3", cloud.s3Url());
        System.setProperty("aws.endpointUrlDynamoDb", cloud.dynamoDbUrl());
        System.setProperty("aws.endpointUrlSfn", cloud.stepFunctionsUrl());
        System.setProperty("aws.endpointUrlLambda", cloud.lambdaUrl());
    }

    /** Starts a job on the video at {@code key} in the bucket; the job id is the execution's name. */
    public String start(String jobId, String key, ObjectNode request) throws IOException {
        ObjectNode input = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        input.putObject("video").put("bucket", BUCKET).put("key", key);
        input.set("request", request);
        try (var sfn = cloud.stepFunctions()) {
            return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(jobId).input(input.toString())).executionArn();
        }
    }

    public ScenarioSimulator simulator() { return simulator; }
    public LocalCloud cloud() { return cloud; }
    public PipelineServices services() { return services; }
    public String stateMachineArn() { return stateMachineArn; }
    public HttpApi httpApi() { return httpApi; }
    /** The key this run signs webhook notices with, for receivers to check them. */
    public String webhookSecret() { return webhookSecret; }

    @Override
    public void close() {
        sweeper.shutdownNow();
        httpApi.close();
        cloud.close();
        simulator.close();
    }
}
