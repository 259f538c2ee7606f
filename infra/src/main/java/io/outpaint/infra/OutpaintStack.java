package io.outpaint.infra;

import io.outpaint.pipeline.PipelineFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.notifications.LambdaDestination;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The whole system in one stack: the jobs table, the bucket, one function per entry of the
 * catalogue ({@link PipelineFunction}: java21, SnapStart, behind a "live" alias, its environment
 * and grants derived from its needs), the state machine from statemachine/outpaint.asl.json, the
 * HTTP API, the S3 trigger, the reconciler's status-change rule, the scheduled sweep, and the
 * operator's alarms and dashboard.
 */
public final class OutpaintStack extends Stack {

    /** The variables every function could get; the catalogue gates which each one does get. */
    public static final List<String> COMMON_VARIABLES = List.of("TABLE_NAME", "BUCKET_NAME", "STATE_MACHINE_ARN",
            "SCENARIO_SECRET_ARN", "WEBHOOK_SECRET_ARN", "EVENT_BUS_NAME", "MAX_JOBS_IN_FLIGHT", "BUDGET_CREATIVE_UNITS", "BUDGET_PERIOD",
            "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL");
    /** How often the sweep looks for stranded jobs and free slots. */
    public static final Duration SWEEP_EVERY = Duration.minutes(5);
    /** The states of an execution that ended outside the state machine's own paths. */
    public static final List<String> RECONCILED_STATUSES = List.of("FAILED", "TIMED_OUT", "ABORTED");

    /** The media functions' /tmp: the most Lambda gives, above FinishLimits.LAMBDA's 8 GiB of clips. */
    public static final int MEDIA_TMP_GIB = 10;

    private final Map<PipelineFunction, Function> functions = new EnumMap<>(PipelineFunction.class);
    private final Map<PipelineFunction, Alias> aliases = new EnumMap<>(PipelineFunction.class);

    public OutpaintStack(Construct scope, String id, StackProps props, Path root) {
        super(scope, id, props);
        CfnParameter scenarioSecretArn = CfnParameter.Builder.create(this, "ScenarioSecretArn")
                .type("String").description("ARN of the Secrets Manager secret holding {\"apiKey\", \"apiSecret\"} for Scenario")
                .allowedPattern("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+").build();
        Nag.ack(this, "CloudFormation-Validate::W2509", "ScenarioSecretArn is the secret's ARN, not the secret: nothing to hide");
        CfnParameter maxJobs = CfnParameter.Builder.create(this, "MaxJobsInFlight").type("Number").defaultValue(2)
                .minValue(1).maxValue(1000).description("Global limit on Scenario jobs running at once").build();
        // a decision to take at deploy time: "none" (the default) admits whatever is uploaded; 0 admits nothing more
        CfnParameter budgetUnits = CfnParameter.Builder.create(this, "BudgetCreativeUnits").type("String").defaultValue("none")
                .allowedPattern("none|[0-9]{1,9}").constraintDescription("none, or a whole number of creative units")
                .description("Creative units the deployment may spend per BudgetPeriod (jobs over it wait as WAITING_FOR_BUDGET);"
                        + " none: no budget").build();
        CfnParameter budgetPeriod = CfnParameter.Builder.create(this, "BudgetPeriod").type("String").defaultValue("day")
                .allowedValues(List.of("day", "month"))
                .description("The budget's period, UTC; the spend is kept and shown (GET /usage) by it, with or without a budget").build();
        ISecret scenarioSecret = Secret.fromSecretCompleteArn(this, "ScenarioSecret", scenarioSecretArn.getValueAsString());
        Secret webhookSecret = Secret.Builder.create(this, "WebhookSecret")
                .description("Signs the job notices sent to webhooks (HMAC-SHA256)")
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(48).build()).build();
        Nag.ack(webhookSecret, "AwsSolutions-SMG4", "Webhook receivers verify notices with this key; rotating it would"
                + " break every receiver at once, so it is replaced by hand with notice");

        Table table = jobsTable();
        Bucket bucket = mediaBucket();

        // the state machine's ARN is built from its name, so functions can name it without a circular reference
        String stateMachineName = getStackName() + "-outpaint";
        String stateMachineArn = formatArn(ArnComponents.builder().service("states").resource("stateMachine")
                .resourceName(stateMachineName).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        String executionsArn = formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(stateMachineName + ":*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());

        Map<String, String> common = new LinkedHashMap<>();
        common.put("TABLE_NAME", table.getTableName());
        common.put("BUCKET_NAME", bucket.getBucketName());
        common.put("STATE_MACHINE_ARN", stateMachineArn);
        common.put("SCENARIO_SECRET_ARN", scenarioSecret.getSecretArn());
        common.put("WEBHOOK_SECRET_ARN", webhookSecret.getSecretArn());
        common.put("EVENT_BUS_NAME", "default");
        common.put("MAX_JOBS_IN_FLIGHT", maxJobs.getValueAsString());
        common.put("BUDGET_CREATIVE_UNITS", budgetUnits.getValueAsString());
        common.put("BUDGET_PERIOD", budgetPeriod.getValueAsString());
        common.put("POWERTOOLS_SERVICE_NAME", "outpaint");
        common.put("POWERTOOLS_METRICS_NAMESPACE", "Outpaint");
        common.put("POWERTOOLS_LOG_LEVEL", "INFO");
        if (!common.keySet().equals(new java.util.LinkedHashSet<>(COMMON_VARIABLES))) {
            throw new IllegalStateException("COMMON_VARIABLES must list the common environment: " + common.keySet());
        }

        Grants grants = new Grants(this, table, bucket, scenarioSecret, webhookSecret, stateMachineArn, executionsArn);
        // one asset per kind: the media one (FFmpeg) only for the functions that finish videos
        Map<PipelineFunction.Asset, Code> codes = new EnumMap<>(PipelineFunction.Asset.class);
        for (PipelineFunction.Asset asset : PipelineFunction.Asset.values()) {
            codes.put(asset, Code.fromAsset(root.resolve(asset.path()).toString()));
        }
        Map<PipelineFunction, LogGroup> logs = new EnumMap<>(PipelineFunction.class);
        for (PipelineFunction entry : PipelineFunction.values()) {
            LogGroup group = LogGroup.Builder.create(this, entry.id() + "Logs").retention(RetentionDays.ONE_MONTH)
                    .removalPolicy(RemovalPolicy.DESTROY).build();
            Function.Builder builder = Function.Builder.create(this, entry.id() + "Function")
                    .runtime(Runtime.JAVA_21).handler(entry.handler()).code(codes.get(entry.asset()))
                    .memorySize(entry.memoryMb()).timeout(Duration.seconds(entry.timeoutSeconds()))
                    .tracing(Tracing.ACTIVE).environment(entry.environment(common)).logGroup(group);
            if (entry.snapStart()) {
                builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
            }
            if (entry.asset() == PipelineFunction.Asset.MEDIA) {
                // the input, the generation and the finished video on /tmp at once: FinishLimits.LAMBDA allows 8 GiB of them
                builder.ephemeralStorageSize(Size.gibibytes(MEDIA_TMP_GIB));
            }
            Function fn = builder.build();
            Alias live = Alias.Builder.create(this, entry.id() + "Live").aliasName("live").version(fn.getCurrentVersion()).build();
            grants.grant(entry, fn);
            Nag.functionDefaults(fn, entry);
            functions.put(entry, fn);
            aliases.put(entry, live);
            logs.put(entry, group);
        }

        Map<String, String> substitutions = new LinkedHashMap<>();
        for (PipelineFunction entry : PipelineFunction.values()) {
            entry.placeholder().ifPresent(p -> substitutions.put(p, aliases.get(entry).getFunctionArn()));
        }
        StateMachine machine = StateMachine.Builder.create(this, "Outpaint")
                .stateMachineName(stateMachineName)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(read(root.resolve("statemachine/outpaint.asl.json"))))
                .definitionSubstitutions(substitutions)
                .tracingEnabled(true)
                .logs(LogOptions.builder().destination(LogGroup.Builder.create(this, "StateMachineLogs")
                        .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build())
                        .level(LogLevel.ERROR).includeExecutionData(false).build())
                .build();
        Nag.ack(machine, "AwsSolutions-SF1", "Logs ERROR only: job data (prompts, URLs) stays out of the logs, and each"
                + " job's path is in its execution history and its record");
        Nag.ack(machine, "AwsSolutions-IAM5[Resource::*]", "X-Ray's PutTraceSegments and PutTelemetryRecords take no"
                + " resource (added by CDK for tracing); invoking the functions is granted per alias");
        aliases.forEach((entry, alias) -> {
            if (entry.isStep()) {
                alias.grantInvoke(machine);
            }
        });

        Queue triggerFailures = deadLetters("TriggerFailures", "S3 events the upload trigger could not handle");
        aliases.get(PipelineFunction.UPLOAD_TRIGGER).configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .onFailure(new SqsDestination(triggerFailures)).retryAttempts(2).maxEventAge(Duration.hours(6)).build());
        bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(aliases.get(PipelineFunction.UPLOAD_TRIGGER)),
                NotificationKeyFilter.builder().prefix("inputs/").build());
        Nag.bucketNotificationsHandler(this);

        Queue eventFailures = deadLetters("EventFailures", "Status-change and schedule events the reconciler or the sweep"
                + " could not take");
        // EventBridge invokes asynchronously: its dead-letter queue keeps events it could not hand over, this
        // destination the events the function itself failed on (after Lambda's own retries)
        for (PipelineFunction entry : List.of(PipelineFunction.RECONCILE, PipelineFunction.SWEEP)) {
            aliases.get(entry).configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .onFailure(new SqsDestination(eventFailures)).retryAttempts(2).maxEventAge(Duration.hours(6)).build());
        }
        Rule statusChange = Rule.Builder.create(this, "ExecutionEndedRule")
                .description("Executions of the outpaint state machine that ended FAILED, TIMED_OUT or ABORTED: the reconciler"
                        + " gives their jobs a terminal status and their slots back")
                .eventPattern(EventPattern.builder().source(List.of("aws.states"))
                        .detailType(List.of("Step Functions Execution Status Change"))
                        .detail(Map.of("status", RECONCILED_STATUSES, "stateMachineArn", List.of(stateMachineArn))).build())
                .build();
        statusChange.addTarget(LambdaFunction.Builder.create(aliases.get(PipelineFunction.RECONCILE))
                .deadLetterQueue(eventFailures).retryAttempts(8).maxEventAge(Duration.hours(6)).build());
        Rule sweep = Rule.Builder.create(this, "SweepSchedule")
                .description("Resumes or reconciles stranded jobs, frees slots and admits waiting jobs")
                .schedule(Schedule.rate(SWEEP_EVERY)).build();
        sweep.addTarget(LambdaFunction.Builder.create(aliases.get(PipelineFunction.SWEEP))
                .deadLetterQueue(eventFailures).retryAttempts(2).maxEventAge(Duration.minutes(10)).build());

        HttpFront api = new HttpFront(this, aliases.get(PipelineFunction.API));
        new Operations(this, functions, logs, machine, List.of(triggerFailures, eventFailures), api);

        CfnOutput.Builder.create(this, "ApiUrl").value(api.endpoint()).build();
        CfnOutput.Builder.create(this, "BucketName").value(bucket.getBucketName()).build();
        CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
        CfnOutput.Builder.create(this, "StateMachineArn").value(machine.getStateMachineArn()).build();
    }

    private Table jobsTable() {
        Table table = Table.Builder.create(this, "Jobs")
                .partitionKey(Attribute.builder().name("jobId").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute("expiresAt")
                .removalPolicy(RemovalPolicy.RETAIN).build();
        index(table, "byStatus", "status", "createdAt");
        index(table, "byCreated", "listKey", "createdAt");
        // sparse: only jobs waiting for a slot carry "queue"
        index(table, "byQueue", "queue", "queueKey");
        return table;
    }

    private static void index(Table table, String name, String partition, String sort) {
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName(name)
                .partitionKey(Attribute.builder().name(partition).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(sort).type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL).build());
    }

    private Bucket mediaBucket() {
        CfnParameter consoleOrigin = CfnParameter.Builder.create(this, "ConsoleOrigin").type("String")
                .defaultValue("http://127.0.0.1:8686").allowedPattern("^https?://[A-Za-z0-9.:\\[\\]-]+$")
                .description("The origin the web console is served from (outpaint console --endpoint <ApiUrl> --port 8686"
                        + " serves it on the default); the browser PUTs staged videos to the bucket and plays results from it")
                .build();
        Bucket bucket = Bucket.Builder.create(this, "Media")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(true)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("inputs").prefix("inputs/").expiration(Duration.days(io.outpaint.media.InputVideos.KEPT_DAYS))
                                .noncurrentVersionExpiration(Duration.days(7)).abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        LifecycleRule.builder().id("outputs").prefix("outputs/").expiration(Duration.days(io.outpaint.request.ObjectKeys.OUTPUTS_KEPT_DAYS))
                                .noncurrentVersionExpiration(Duration.days(7)).abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                // the web console (outpaint console --endpoint, on this origin) PUTs staged videos here; it plays results
                // through <video src> and links, which need no CORS
                .cors(List.of(CorsRule.builder().allowedOrigins(List.of(consoleOrigin.getValueAsString()))
                        .allowedMethods(List.of(HttpMethods.PUT)).allowedHeaders(List.of("Content-Type")).maxAge(3000).build()))
                .removalPolicy(RemovalPolicy.RETAIN).build();
        Nag.ack(bucket, "AwsSolutions-S1", "Every object written is a job's input or result, recorded with its job;"
                + " server access logs would need a second bucket and repeat that record");
        return bucket;
    }

    private Queue deadLetters(String id, String what) {
        Queue queue = Queue.Builder.create(this, id).retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).build();
        Nag.ack(queue, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue (" + what + "); an operator alarm"
                + " fires when it is not empty");
        Nag.ack(queue, "Serverless-SQSRedrivePolicy", "This queue is itself the dead-letter queue (" + what + "); an"
                + " operator alarm fires when it is not empty");
        return queue;
    }

    /** The function of a catalogue entry (tests and the operations construct read it). */
    public Function function(PipelineFunction entry) {
        return functions.get(entry);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
