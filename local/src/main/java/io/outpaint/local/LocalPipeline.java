package io.outpaint.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetGate;
import io.outpaint.config.PipelineConfig;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.simulator.ScenarioSimulator;
import io.outpaint.store.DynamoJobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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

    /** How to run: limits, clocks, a budget (none by default), and an optional wrapper around the services (tests inject faults with it). */
    public record Settings(int maxJobsInFlight, int maxPollSeconds, double timeScale, long dynamicWaitMillis,
                           Duration scenarioJobDuration, int simulatorPort, UnaryOperator<PipelineServices> decorate,
                           boolean uploadTrigger, Duration sweepEvery, Optional<Budget> budget) {
        public Settings(int maxJobsInFlight, int maxPollSeconds, double timeScale, long dynamicWaitMillis,
                        Duration scenarioJobDuration, int simulatorPort, UnaryOperator<PipelineServices> decorate, boolean uploadTrigger) {
            this(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate,
                    uploadTrigger, Duration.ofSeconds(30), Optional.empty());
        }
        /** Interactive use: real time, jobs of 20 s, a job for every video put under inputs/. */
        public static Settings interactive() {
            return new Settings(2, 4 * 3600, 1.0, 0, Duration.ofSeconds(20), 0, s -> s, true);
        }
        /** How often the sweep runs (it runs at start too); zero for only at start. */
        public Settings withSweepEvery(Duration value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger, value, budget); }
        /** Without the S3 trigger: jobs start only when an execution is started. */
        public Settings withoutUploadTrigger() { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, false, sweepEvery, budget); }
        public Settings withLimit(int value) { return new Settings(value, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger, sweepEvery, budget); }
        public Settings withMaxPollSeconds(int value) { return new Settings(maxJobsInFlight, value, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger, sweepEvery, budget); }
        public Settings withTime(double scale, long dynamicWait) { return new Settings(maxJobsInFlight, maxPollSeconds, scale, dynamicWait, scenarioJobDuration, simulatorPort, decorate, uploadTrigger, sweepEvery, budget); }
        public Settings withJobDuration(Duration value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, value, simulatorPort, decorate, uploadTrigger, sweepEvery, budget); }
        public Settings withDecorator(UnaryOperator<PipelineServices> value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, value, uploadTrigger, sweepEvery, budget); }
        /** A budget of creative units per period, as BUDGET_CREATIVE_UNITS and BUDGET_PERIOD give it on AWS; none by default. */
        public Settings withBudget(Budget value) { return new Settings(maxJobsInFlight, maxPollSeconds, timeScale, dynamicWaitMillis, scenarioJobDuration, simulatorPort, decorate, uploadTrigger, sweepEvery, Optional.of(value)); }
    }

    private final DataDir dataDir;
    private final LocalScenario scenario;
    private final LocalCloud cloud;
    private final PipelineServices services;
    private final String stateMachineArn;
    private final HttpApi httpApi;
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    private final Map<PipelineFunction, PipelineServices> functionServices = new java.util.EnumMap<>(PipelineFunction.class);
    private final String webhookSecret;
    private final List<String> resumed;
    private final Map<String, String> environment;
    /** The budget every function reads on each admission: BUDGET_CREATIVE_UNITS at start, {@link #budget} after. */
    private final java.util.concurrent.atomic.AtomicReference<Optional<Budget>> budget = new java.util.concurrent.atomic.AtomicReference<>();

    private LocalPipeline(Settings settings, LocalSite site, Consumer<String> progress) throws Exception {
        long started = System.nanoTime();
        Consumer<String> told = part -> progress.accept(String.format("%s up (%.1f s)", part, (System.nanoTime() - started) / 1e9));
        this.dataDir = site.dataDir().isPresent() ? DataDir.open(site.dataDir().get()) : null;
        // the simulator stands in only when no Scenario account is given
        this.scenario = LocalScenario.start(site.scenario(), settings.simulatorPort(), settings.scenarioJobDuration());
        this.webhookSecret = dataDir != null ? dataDir.secret("webhook-secret", "whsec-") : "whsec-" + java.util.UUID.randomUUID();
        FunctionRegistry functions = new FunctionRegistry();
        LocalCloud.Options options = LocalCloud.Options.defaults().withTime(settings.timeScale(), settings.dynamicWaitMillis())
                .withStatusChangesTo(PipelineFunction.RECONCILE.localName()).withProgress(told);
        this.cloud = LocalCloud.start(dataDir != null ? options.withDataDir(dataDir.root()) : options, functions);
        try {
            // S3Mock is still starting: the table and the state machine are made meanwhile
            createTable();
            this.stateMachineArn = createStateMachine();
            pointSdkAt(cloud);
            this.environment = environment(settings);
            budget.set(settings.budget());
            this.services = withDial(settings.decorate().apply(PipelineServices.fromConfig(PipelineConfig.fromEnvironment(environment))));
            // each function runs with the environment the stack gives it: only what its catalogue entry needs
            for (PipelineFunction function : PipelineFunction.values()) {
                PipelineServices own = withDial(settings.decorate().apply(
                        PipelineServices.fromConfig(PipelineConfig.fromEnvironment(function.environment(environment)))));
                functionServices.put(function, own);
                functions.register(function.localName(), () -> handler(function, own), Duration.ofSeconds(function.timeoutSeconds()),
                        function.memoryMb());
            }
            try (var s3 = cloud.s3()) {
                try {
                    s3.createBucket(b -> b.bucket(BUCKET));
                } catch (BucketAlreadyOwnedByYouException e) {
                    // kept from an earlier start
                }
                s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
            }
            if (settings.uploadTrigger()) {
                cloud.notifyOnCreate(BUCKET, "inputs/", UPLOAD_TRIGGER);
            }
            String apiKey = dataDir != null ? dataDir.secret("api-key", "local-") : null;
            this.httpApi = apiKey != null ? new HttpApi(functions, API, site.apiPort(), apiKey) : new HttpApi(functions, API, site.apiPort());
            if (dataDir != null) {
                dataDir.recordKept(BUCKET); // from now on, a start on this folder expects the table file and the bucket
            }
            this.resumed = firstSweep();
            this.sweeper = startSweeping(settings.sweepEvery());
        } catch (Exception e) {
            // a part that did not start (S3Mock's start surfaces here) leaves nothing else running, nor the data dir locked
            cloud.close();
            scenario.close();
            if (dataDir != null) {
                dataDir.close();
            }
            throw e;
        }
    }

    /** The jobs table, made on a first start; a table file DynamoDB Local cannot read is named, not met with its generic 500. */
    private void createTable() throws IOException {
        try {
            DynamoJobStore.createTableIfMissing(cloud.dynamoDb(), TABLE);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            if (dataDir == null) {
                throw e;
            }
            throw new DataDir.DamagedException("DynamoDB Local cannot read the table file " + dataDir.root().resolve(DataDir.TABLE_FILE)
                    + " (" + e.getMessage().lines().findFirst().orElse("") + "): it may be damaged; put it back from a copy, or move "
                    + dataDir.root() + " away to start over (its jobs are then forgotten)", e);
        }
    }

    /** The services with a budget read from this runtime's setting on every call (over their own ledger: the jobs table). */
    private PipelineServices withDial(PipelineServices own) {
        return own.withBudgets(own.budgets().over(budget::get));
    }

    /**
     * Sets the budget while the runtime runs (a raise, a new period length; empty for none), as a new
     * BUDGET_CREATIVE_UNITS on a deployment would: the next dispatch admits the jobs it now holds.
     */
    public void budget(Optional<Budget> value) {
        budget.set(value);
    }

    public Optional<Budget> budget() {
        return budget.get();
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

    /**
     * Watches the runtime's parts (see {@link PartWatch}): a part that dies is named on {@code said}
     * at once and started again; the state machine is deployed again on a new Step Functions sidecar,
     * and the sweep resumes the jobs whose executions died with it. A part that cannot come back is
     * named on {@code failed}: the runtime cannot go on.
     */
    public void watch(Duration every, Consumer<String> said, Consumer<String> failed) {
        cloud.watch(every, new PartWatch.Listener() {
            @Override
            public void said(String line) {
                said.accept(line);
            }

            @Override
            public String restarted(LocalCloud.Part part) throws Exception {
                if (part == LocalCloud.Part.STEP_FUNCTIONS) {
                    createStateMachine();
                }
                List<String> ids = new ArrayList<>();
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(sweep()).path("resumed").forEach(id -> ids.add(id.asText()));
                return ids.isEmpty() ? "no job needed resuming" : "resumed " + ids.size() + " job(s): " + String.join(", ", ids);
            }

            @Override
            public void failed(String line) {
                failed.accept(line);
            }
        });
    }

    /** The handler class the catalogue names for a function (as the stack deploys it), built over that function's own services. */
    private static Object handler(PipelineFunction function, PipelineServices services) {
        try {
            Class<?> type = Class.forName(function.handler());
            return function.isStep()
                    ? type.getConstructor(PipelineFunction.class, PipelineServices.class).newInstance(function, services)
                    : type.getConstructor(PipelineServices.class).newInstance(services);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(function + "'s handler " + function.handler()
                    + " has no constructor over the function's services", e);
        }
    }

    /**
     * The sweep once at start, before anything else runs: the jobs an earlier runtime on this data
     * dir left unended resume (a job with a Scenario job goes back to watching it). What it resumed.
     */
    private List<String> firstSweep() {
        try {
            List<String> ids = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(sweep()).path("resumed").forEach(id -> ids.add(id.asText()));
            return List.copyOf(ids);
        } catch (Exception e) {
            System.err.println("sweep at start failed: " + e.getMessage());
            return List.of();
        }
    }

    /** The sweep, as the stack's schedule runs it: periodically after the first one at start. */
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
        if (!every.isZero()) {
            timer.scheduleWithFixedDelay(sweep, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return timer;
    }

    /** The configuration one function runs with: read from the environment its catalogue entry gives it, as on AWS. */
    public PipelineConfig configOf(PipelineFunction function) {
        return functionServices.get(function).config();
    }

    /** The services one function runs over, built from its own environment (tests of what a function reaches). */
    public PipelineServices servicesOf(PipelineFunction function) {
        return functionServices.get(function);
    }

    /**
     * The environment one function would have as its own process on Lambda: its catalogue entry's
     * variables and the SDK's region, credentials and endpoints for this cloud.
     */
    public Map<String, String> functionEnvironment(PipelineFunction function) {
        Map<String, String> env = new LinkedHashMap<>(cloud.environment());
        env.putAll(function.environment(environment));
        return env;
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

    /** The simulator, nothing kept, any free port. */
    public static LocalPipeline start(Settings settings) throws Exception {
        return start(settings, LocalSite.ephemeral());
    }

    public static LocalPipeline start(Settings settings, LocalSite site) throws Exception {
        return start(settings, site, part -> { });
    }

    /** Starts it, telling {@code progress} of each emulator as it comes up ("S3Mock up (5.1 s)"). */
    public static LocalPipeline start(Settings settings, LocalSite site, Consumer<String> progress) throws Exception {
        return new LocalPipeline(settings, site, progress);
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
        scenario.configure(env);
        env.put("MAX_JOBS_IN_FLIGHT", Integer.toString(settings.maxJobsInFlight()));
        env.put("MAX_POLL_SECONDS", Integer.toString(settings.maxPollSeconds()));
        settings.budget().ifPresent(b -> {
            env.put("BUDGET_CREATIVE_UNITS", Long.toString(b.creativeUnits()));
            env.put("BUDGET_PERIOD", b.period().name().toLowerCase(java.util.Locale.ROOT));
        });
        if (scenario.simulated()) {
            // the simulator's jobs take a known time: ETAs and the first look start from it, not from a real job's 5 minutes
            env.put("TYPICAL_JOB_SECONDS", Long.toString(Math.max(1, settings.scenarioJobDuration().toSeconds())));
        }
        env.put("S3_PATH_STYLE", "true");
        // DynamoDB Local's indexes are consistent at once: a dispatch need not look at the queue twice
        env.put("QUEUE_INDEX_LAG_MILLIS", "0");
        // the sweep looks for an upload whose S3 event was lost after this long, scaled as Wait and Retry intervals are
        env.put("UPLOAD_EVENT_GRACE_SECONDS", Long.toString(Math.max(1, Math.round(120 * settings.timeScale()))));
        // this run's own signing key; local receivers may listen on plain http
        env.put("WEBHOOK_SECRET", webhookSecret);
        // every ended job is published, as a deployment with a bus does; the local receiver keeps the events
        env.put("EVENT_BUS_NAME", "default");
        env.put("WEBHOOK_ALLOW_HTTP", "true");
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
        System.setProperty("aws.endpointUrlEventBridge", cloud.eventBridgeUrl());
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
    public ScenarioSimulator simulator() { return scenario.simulator(); }
    public boolean usesSimulator() { return scenario.simulated(); }
    /** The Scenario API this runtime's functions call. */
    public String scenarioUrl() { return scenario.url(); }
    /** One line saying which Scenario this runtime uses, for people. */
    public String scenarioDescription() { return scenario.description(); }
    /** Where state is kept across restarts; empty when nothing is kept. */
    public Optional<java.nio.file.Path> dataDir() { return Optional.ofNullable(dataDir).map(DataDir::root); }
    /** What this start repaired in the data dir (objects whose files were gone taken out of the bucket), one line each. */
    public List<String> repairs() { return dataDir == null ? List.of() : dataDir.repairs(); }
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
        sweeper.shutdownNow();
        httpApi.close();
        cloud.close();
        scenario.close();
        if (dataDir != null) {
            try {
                dataDir.close();
            } catch (IOException e) {
                System.err.println("while unlocking " + dataDir.root() + ": " + e.getMessage());
            }
        }
    }
}
