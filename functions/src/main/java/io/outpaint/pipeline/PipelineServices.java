package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.config.PipelineConfig;
import io.outpaint.media.InputVideos;
import io.outpaint.media.ResultCopier;
import io.outpaint.notify.Notifier;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioCredentials;
import io.outpaint.scenario.ScenarioSettings;
import io.outpaint.queue.Admission;
import io.outpaint.queue.DispatchGroup;
import io.outpaint.queue.Dispatcher;
import io.outpaint.queue.Executions;
import io.outpaint.queue.JobDurations;
import io.outpaint.queue.QueueView;
import io.outpaint.queue.SfnExecutions;
import io.outpaint.store.DynamoJobDurations;
import io.outpaint.store.DynamoJobStore;
import io.outpaint.store.EndCountingJobStore;
import io.outpaint.store.DynamoSlotLimiter;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import java.io.IOException;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * Everything the steps need, built once per container. AWS clients take the SDK's defaults, so
 * the region, credentials and endpoints come from the SDK's own settings and nowhere else.
 */
public record PipelineServices(PipelineConfig config, Clock clock, ScenarioClient scenario, JobStore jobs,
                               SlotLimiter slots, JobDurations durations, Executions executions, InputVideos inputs,
                               ResultCopier copier, Lazy<S3Client> s3Client, Lazy<SfnClient> sfnClient, Notifier notifier,
                               io.outpaint.pricing.PriceBook prices, io.outpaint.budget.BudgetGate budgets) {

    /** Services whose price book lives in memory (tests, priming): a cached price lasts as long as they do. */
    public PipelineServices(PipelineConfig config, Clock clock, ScenarioClient scenario, JobStore jobs, SlotLimiter slots,
                            JobDurations durations, Executions executions, InputVideos inputs, ResultCopier copier,
                            Lazy<S3Client> s3Client, Lazy<SfnClient> sfnClient, Notifier notifier) {
        this(config, clock, scenario, jobs, slots, durations, executions, inputs, copier, s3Client, sfnClient, notifier,
                new io.outpaint.store.InMemoryPriceBook());
    }

    /** Services whose budget ledger lives in memory: the budget of {@code config}, its books as long as they last. */
    public PipelineServices(PipelineConfig config, Clock clock, ScenarioClient scenario, JobStore jobs, SlotLimiter slots,
                            JobDurations durations, Executions executions, InputVideos inputs, ResultCopier copier,
                            Lazy<S3Client> s3Client, Lazy<SfnClient> sfnClient, Notifier notifier, io.outpaint.pricing.PriceBook prices) {
        this(config, clock, scenario, jobs, slots, durations, executions, inputs, copier, s3Client, sfnClient, notifier, prices,
                new io.outpaint.budget.BudgetGate(new io.outpaint.store.InMemoryBudgetLedger(),
                        config == null ? java.util.Optional::empty : config::budget, clock,
                        config == null ? io.outpaint.budget.BudgetPeriod.DAY : config.booksPeriod()));
    }

    private static volatile PipelineServices shared;

    /** The services of this Lambda container, from its environment. */
    public static PipelineServices shared() {
        PipelineServices value = shared;
        if (value == null) {
            synchronized (PipelineServices.class) {
                if (shared == null) {
                    shared = fromConfig(PipelineConfig.fromEnvironment(System.getenv()));
                }
                value = shared;
            }
        }
        return value;
    }

    public static PipelineServices fromConfig(PipelineConfig config) {
        DynamoDbClient dynamo = DynamoDbClient.create();
        Lazy<S3Client> s3 = Lazy.of(() -> S3Client.builder().forcePathStyle(config.s3PathStyle()).build());
        Lazy<S3TransferManager> transfers = Lazy.of(() -> S3TransferManager.builder()
                .s3Client(S3AsyncClient.builder().forcePathStyle(config.s3PathStyle()).multipartEnabled(true)
                        .multipartConfiguration(m -> m.minimumPartSizeInBytes((long) config.copyPartSizeBytes())
                                .thresholdInBytes((long) config.copyPartSizeBytes()))
                        .build())
                .build());
        ScenarioClient scenario = null;
        if (config.hasScenarioCredentials()) {
            ScenarioSettings defaults = ScenarioSettings.of(config.scenarioApiUrl(), credentials(config));
            scenario = new ScenarioClient(defaults.withUpload(defaults.partSizeBytes(), config.scenarioUploadPoll(),
                    defaults.uploadTimeout()));
        }
        Lazy<SfnClient> sfn = Lazy.of(SfnClient::create);
        return new PipelineServices(config, Clock.systemUTC(), scenario,
                new EndCountingJobStore(new DynamoJobStore(dynamo, config.tableName()), JobMetrics::ended),
                new DynamoSlotLimiter(dynamo, config.tableName()),
                new DynamoJobDurations(dynamo, config.tableName()),
                config.stateMachineArn().map(arn -> (Executions) new SfnExecutions(sfn, arn)).orElse(null),
                new InputVideos(s3), new ResultCopier(scenario, transfers, s3), s3,
                sfn, new Notifier(webhookSecret(config), config.eventBusName(), Clock.systemUTC()),
                new io.outpaint.store.DynamoPriceBook(dynamo, config.tableName()),
                new io.outpaint.budget.BudgetGate(new io.outpaint.store.DynamoBudgetLedger(dynamo, config.tableName()), config::budget,
                        Clock.systemUTC(), config.booksPeriod()));
    }

    /** The S3 client, built on the first call (most functions never call S3). */
    public S3Client s3() {
        return s3Client.get();
    }

    /** The Step Functions client, built on the first call (several functions never call it). */
    public SfnClient sfn() {
        return sfnClient.get();
    }

    /** The Scenario client; only the functions that call Scenario are given its credentials. */
    @Override
    public ScenarioClient scenario() {
        if (scenario == null) {
            throw new IllegalStateException("this function has no Scenario credentials: set SCENARIO_SECRET_ARN"
                    + " (or SCENARIO_API_KEY and SCENARIO_API_SECRET for a local run)");
        }
        return scenario;
    }

    /** The executions of the state machine; only the functions that start executions are given its ARN. */
    @Override
    public Executions executions() {
        if (executions == null) {
            throw new IllegalStateException("this function does not start executions: set STATE_MACHINE_ARN");
        }
        return executions;
    }

    /** The queue's dispatcher over these services. */
    public Dispatcher dispatcher() {
        return new Dispatcher(jobs, slots, executions(), config.maxJobsInFlight(), clock, config.queueIndexLag(),
                io.outpaint.scenario.RetryPolicy.REAL_SLEEP, budgets, QueueEstimates.of(this));
    }

    /** Slot release, settlement and dispatch, as the steps that end or add a job use them. */
    public Admission admission() {
        return new Admission(slots, executions == null ? null : dispatcher(), DispatchGroup.of(config.tableName()),
                jobId -> jobs.find(jobId).flatMap(budgets::settle).ifPresent(books -> JobMetrics.settled(budgets.budget(), books)));
    }

    /** A copy with another budget gate (the local runtime's, whose budget can be raised while it runs). */
    public PipelineServices withBudgets(io.outpaint.budget.BudgetGate value) {
        return new PipelineServices(config, clock, scenario, jobs, slots, durations, executions, inputs, copier, s3Client, sfnClient, notifier, prices, value);
    }

    /** A shape's price from the book, or one dry run on the reference video (Scenario is asked only on a miss). */
    public io.outpaint.pricing.Pricing pricing() {
        return new io.outpaint.pricing.Pricing(prices, new io.outpaint.pricing.ScenarioDryRuns(this::scenario),
                config.priceCacheTime(), clock);
    }

    /** Places in the queue and ETAs, as the API shows them. */
    public QueueView queue() {
        return new QueueView(jobs, durations, slots, config.maxJobsInFlight(), config.typicalJobTime(), clock);
    }

    /** A copy with another job store, for wrapping the real one. */
    public PipelineServices withJobs(JobStore value) {
        return new PipelineServices(config, clock, scenario, value, slots, durations, executions, inputs, copier, s3Client, sfnClient, notifier, prices, budgets);
    }

    /** A copy with another slot limiter, for wrapping the real one (tests hold a release back with it). */
    public PipelineServices withSlots(SlotLimiter value) {
        return new PipelineServices(config, clock, scenario, jobs, value, durations, executions, inputs, copier, s3Client, sfnClient, notifier, prices, budgets);
    }

    /** A copy with other executions, for wrapping the real ones (tests make StartExecution fail with it). */
    public PipelineServices withExecutions(Executions value) {
        return new PipelineServices(config, clock, scenario, jobs, slots, durations, value, inputs, copier, s3Client, sfnClient, notifier, prices, budgets);
    }

    /** The key webhook notices are signed with: a secret per deployment; without one, webhooks are refused. */
    private static String webhookSecret(PipelineConfig config) {
        if (config.webhookSecretArn().isPresent()) {
            return SecretsProvider.builder().build().get(config.webhookSecretArn().get());
        }
        return config.webhookSecret().orElse(null);
    }

    private static ScenarioCredentials credentials(PipelineConfig config) {
        if (config.scenarioSecretArn().isPresent()) {
            String secret = SecretsProvider.builder().build().get(config.scenarioSecretArn().get());
            try {
                JsonNode json = io.outpaint.json.Json.MAPPER.readTree(secret);
                return new ScenarioCredentials(json.path("apiKey").asText(null), json.path("apiSecret").asText(null));
            } catch (IOException | IllegalArgumentException e) {
                // the secret's value stays out of the message
                throw new IllegalStateException("secret " + config.scenarioSecretArn().get()
                        + " must be JSON with apiKey and apiSecret");
            }
        }
        return new ScenarioCredentials(config.scenarioApiKey().orElseThrow(), config.scenarioApiSecret().orElseThrow());
    }

}
