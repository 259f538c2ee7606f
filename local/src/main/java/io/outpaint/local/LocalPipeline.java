package io.outpaint.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.config.PipelineConfig;
import io.outpaint.handlers.ApiHandler;
import io.outpaint.handlers.CheckStatusHandler;
import io.outpaint.handlers.CopyResultsHandler;
import io.outpaint.handlers.NotifyHandler;
import io.outpaint.handlers.RecordFailureHandler;
import io.outpaint.handlers.SubmitHandler;
import io.outpaint.handlers.UploadInputHandler;
import io.outpaint.handlers.UploadTriggerHandler;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.simulator.ScenarioSimulator;
import io.outpaint.job.Job;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.store.DynamoJobStore;
import io.outpaint.store.JobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** The functions, by the substitution name the ASL uses for their ARN. */
    public static final Map<String, String> FUNCTIONS = Map.of(
            "UploadInputFunctionArn", "outpaint-upload-input",
            "SubmitFunctionArn", "outpaint-submit",
            "CheckStatusFunctionArn", "outpaint-check-status",
            "CopyResultsFunctionArn", "outpaint-copy-results",
            "RecordFailureFunctionArn", "outpaint-record-failure",
            "NotifyFunctionArn", "outpaint-notify");
    public static final String UPLOAD_TRIGGER = "outpaint-upload-trigger";
    public static final String API = "outpaint-api";
    public static final String STATE_MACHINE_ARN =
            "arn:aws:states:" + FunctionRegistry.REGION + ":" + FunctionRegistry.ACCOUNT + ":stateMachine:" + STATE_MACHINE;

    /** How to run: limits, clocks, and an optional wrapper around the services (tests inject faults with it). */
    public record Settings(int maxJobsInFlight, int maxPollSeconds, double timeScale, long dynamicWaitMillis,
                           Duration scenarioJobDuration, int simulatorPort, UnaryOperator<PipelineServices> decorate,
                           boolean uploadTrigger) {
        /** Interactive use: real time, jobs of 20 s, a job for every video put under inputs/. */
        public static Settings interactive() {
            return new Settings(2, 4 * 3600, 1.0, 0, Duration.ofSeconds(20), 0, s -> s, true);
        }
        /** Without the S3 trigger: jobs start only when an execution is started. */
        public Settings withoutUploadTrigger() { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, false); }
        public Settings withLimit(int value) { return new Settings(value, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger); }
        public Settings withMaxPollSeconds(int value) { return new Settings(maxJobsInFlight, value, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger); }
        public Settings withTime(double scale, long dynamicWait) { return new Settings(maxJobsInFlight, maxPollSeconds, scale, dynamicWait, scenarioJobDuration, simulatorPort, decorate, uploadTrigger); }
        public Settings withJobDuration(Duration value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, value, simulatorPort, decorate, uploadTrigger); }
        public Settings withDecorator(UnaryOperator<PipelineServices> value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, value, uploadTrigger); }
    }

    private final LocalSite site;
    private final DataDir dataDir;
    private final ScenarioSimulator simulator;
    private final LocalCloud cloud;
    private final PipelineServices services;
    private final String stateMachineArn;
    private final HttpApi httpApi;
    private final String webhookSecret;
    private final List<String> resumed;

    private LocalPipeline(Settings settings, LocalSite site) throws Exception {
        this.site = site;
        this.dataDir = site.dataDir().isPresent() ? DataDir.open(site.dataDir().get()) : null;
        // the simulator stands in only when no Scenario account is given
        this.simulator = site.scenario().isPresent() ? null : ScenarioSimulator.start(ScenarioSimulator.Settings.defaults()
                .withPort(settings.simulatorPort()).withJobDuration(settings.scenarioJobDuration()));
        this.webhookSecret = dataDir != null ? dataDir.secret("webhook-secret", "whsec-") : "whsec-" + java.util.UUID.randomUUID();
        FunctionRegistry functions = new FunctionRegistry();
        LocalCloud.Options options = LocalCloud.Options.defaults().withTime(settings.timeScale(), settings.dynamicWaitMillis());
        this.cloud = LocalCloud.start(dataDir != null ? options.withDataDir(dataDir.root()) : options, functions);
        pointSdkAt(cloud);
        PipelineConfig config = PipelineConfig.fromEnvironment(environment(settings));
        this.services = settings.decorate().apply(PipelineServices.fromConfig(config));
        functions.register(FUNCTIONS.get("UploadInputFunctionArn"), () -> new UploadInputHandler(services));
        functions.register(FUNCTIONS.get("SubmitFunctionArn"), () -> new SubmitHandler(services));
        functions.register(FUNCTIONS.get("CheckStatusFunctionArn"), () -> new CheckStatusHandler(services));
        functions.register(FUNCTIONS.get("CopyResultsFunctionArn"), () -> new CopyResultsHandler(services));
        functions.register(FUNCTIONS.get("RecordFailureFunctionArn"), () -> new RecordFailureHandler(services));
        functions.register(FUNCTIONS.get("NotifyFunctionArn"), () -> new NotifyHandler(services));
        functions.register(UPLOAD_TRIGGER, () -> new UploadTriggerHandler(services));
        functions.register(API, () -> new ApiHandler(services));

        DynamoJobStore.createTableIfMissing(cloud.dynamoDb(), TABLE);
        try (var s3 = cloud.s3()) {
            try {
                s3.createBucket(b -> b.bucket(BUCKET));
            } catch (BucketAlreadyOwnedByYouException e) {
                // kept from an earlier start
            }
            s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        }
        String definition = definition();
        try (var sfn = cloud.stepFunctions()) {
            this.stateMachineArn = sfn.createStateMachine(b -> b.name(STATE_MACHINE).definition(definition)
                    .roleArn("arn:aws:iam::" + FunctionRegistry.ACCOUNT + ":role/outpaint-local")).stateMachineArn();
        }
        if (settings.uploadTrigger()) {
            cloud.notifyOnCreate(BUCKET, "inputs/", UPLOAD_TRIGGER);
        }
        String apiKey = dataDir != null ? dataDir.secret("api-key", "local-") : null;
        this.httpApi = apiKey != null ? new HttpApi(functions, API, site.apiPort(), apiKey) : new HttpApi(functions, API, site.apiPort());
        this.resumed = resumeUnendedJobs();
    }

    /** The simulator, nothing kept, any free port. */
    public static LocalPipeline start(Settings settings) throws Exception {
        return start(settings, LocalSite.ephemeral());
    }

    public static LocalPipeline start(Settings settings, LocalSite site) throws Exception {
        return new LocalPipeline(settings, site);
    }

    /**
     * Starts again every job that was running when an earlier runtime on this data dir stopped: the
     * Step Functions endpoint starts empty, so each gets a new execution under its own name. Submit
     * never posts a second Scenario job for a record that has one. Jobs never started (an upload
     * not yet landed) are left to their trigger.
     */
    private List<String> resumeUnendedJobs() {
        List<String> ids = new ArrayList<>();
        JobStarter starter = new JobStarter(services);
        Optional<String> token = Optional.empty();
        do {
            JobStore.Page page = services.jobs().list(Optional.empty(), 100, token);
            for (Job job : page.jobs()) {
                if (!job.status().isTerminal() && job.executionArn() != null) {
                    starter.startExecution(job);
                    ids.add(job.jobId());
                }
            }
            token = page.nextToken();
        } while (token.isPresent());
        return List.copyOf(ids);
    }

    /** The deployed definition: the ASL file with each function's ARN substituted, as the stack does. */
    public static String definition() throws IOException {
        try (InputStream in = LocalPipeline.class.getResourceAsStream("/statemachine/outpaint.asl.json")) {
            if (in == null) {
                throw new IOException("statemachine/outpaint.asl.json is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (var entry : FUNCTIONS.entrySet()) {
                text = text.replace("${" + entry.getKey() + "}", FunctionRegistry.arnOf(entry.getValue()));
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
        if (site.scenario().isPresent()) {
            ScenarioAccount account = site.scenario().get();
            env.put("SCENARIO_API_URL", account.apiUrl().toString());
            env.put("SCENARIO_API_KEY", account.key());
            env.put("SCENARIO_API_SECRET", account.secret());
        } else {
            env.put("SCENARIO_API_URL", simulator.apiUrl());
            env.put("SCENARIO_API_KEY", simulator.apiKey());
            env.put("SCENARIO_API_SECRET", simulator.apiSecret());
        }
        env.put("MAX_JOBS_IN_FLIGHT", Integer.toString(settings.maxJobsInFlight()));
        env.put("MAX_POLL_SECONDS", Integer.toString(settings.maxPollSeconds()));
        env.put("S3_PATH_STYLE", "true");
        // this run's own signing key; local receivers may listen on plain http
        env.put("WEBHOOK_SECRET", webhookSecret);
        env.put("WEBHOOK_ALLOW_HTTP", "true");
        if (simulator != null) {
            env.put("SCENARIO_UPLOAD_POLL_MILLIS", "200");
            // simulated jobs last seconds, not minutes: look early and often enough to show their progress
            env.put("POLL_MIN_SECONDS", "1");
            env.put("POLL_FIRST_SECONDS", "2");
            env.put("POLL_QUIET_MAX_SECONDS", "5");
        } else {
            // Scenario's own clients poll every 2 to 4 s; real jobs take minutes
            env.put("SCENARIO_UPLOAD_POLL_MILLIS", "2000");
            env.put("POLL_MIN_SECONDS", "2");
            env.put("POLL_FIRST_SECONDS", "5");
            env.put("POLL_QUIET_MAX_SECONDS", "15");
        }
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

    /** The in-process simulator; there is none when the run talks to Scenario's API. */
    public ScenarioSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("this runtime talks to Scenario at " + scenarioUrl() + ", not to a simulator");
        }
        return simulator;
    }
    public boolean usesSimulator() { return simulator != null; }
    /** The Scenario API this runtime's functions call. */
    public String scenarioUrl() { return simulator != null ? simulator.apiUrl() : site.scenario().get().apiUrl().toString(); }
    /** One line saying which Scenario this runtime uses, for people. */
    public String scenarioDescription() {
        return simulator != null
                ? "the Scenario simulator at " + simulator.apiUrl() + " (no " + ScenarioAccount.KEY_VARIABLE + " and "
                        + ScenarioAccount.SECRET_VARIABLE + " set; nothing is sent to Scenario)"
                : "the real Scenario API at " + scenarioUrl() + " (key and secret from " + ScenarioAccount.KEY_VARIABLE
                        + " and " + ScenarioAccount.SECRET_VARIABLE + "; jobs are billed to that account)";
    }
    /** Where state is kept across restarts; empty when nothing is kept. */
    public Optional<java.nio.file.Path> dataDir() { return Optional.ofNullable(dataDir).map(DataDir::root); }
    /** The jobs this start took up again from an earlier runtime on the same data dir. */
    public List<String> resumed() { return resumed; }
    public LocalCloud cloud() { return cloud; }
    public PipelineServices services() { return services; }
    public String stateMachineArn() { return stateMachineArn; }
    public HttpApi httpApi() { return httpApi; }
    /** The key this run signs webhook notices with, for receivers to check them. */
    public String webhookSecret() { return webhookSecret; }

    @Override
    public void close() {
        httpApi.close();
        cloud.close();
        if (simulator != null) {
            simulator.close();
        }
        if (dataDir != null) {
            try {
                dataDir.close();
            } catch (IOException e) {
                System.err.println("while unlocking " + dataDir.root() + ": " + e.getMessage());
            }
        }
    }
}
