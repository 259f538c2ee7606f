package io.outpaint.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
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
import software.amazon.awscdk.services.s3.EventType;
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
 * The whole system in one stack: the jobs table, the bucket, every function (java21, SnapStart,
 * behind a "live" alias), the state machine from statemachine/outpaint.asl.json, the HTTP API with
 * IAM on every route, the S3 trigger with its failure queue, alarms, and least-privilege roles.
 */
public final class OutpaintStack extends Stack {

    /** What each function runs and needs. */
    private record Spec(String id, String handler, int memoryMb, int timeoutSeconds, boolean scenario) {}

    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();

    public OutpaintStack(Construct scope, String id, StackProps props, Path root) {
        super(scope, id, props);
        CfnParameter scenarioSecretArn = CfnParameter.Builder.create(this, "ScenarioSecretArn")
                .type("String").description("ARN of the Secrets Manager secret holding {\"apiKey\", \"apiSecret\"} for Scenario")
                .allowedPattern("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+").build();
        ISecret scenarioSecret = Secret.fromSecretCompleteArn(this, "ScenarioSecret", scenarioSecretArn.getValueAsString());
        Secret webhookSecret = Secret.Builder.create(this, "WebhookSecret")
                .description("Signs the job notices sent to webhooks (HMAC-SHA256)")
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(48).build()).build();

        Table table = Table.Builder.create(this, "Jobs")
                .partitionKey(Attribute.builder().name("jobId").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute("expiresAt")
                .removalPolicy(RemovalPolicy.RETAIN).build();
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName("byStatus")
                .partitionKey(Attribute.builder().name("status").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("createdAt").type(AttributeType.STRING).build()).build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder().indexName("byCreated")
                .partitionKey(Attribute.builder().name("listKey").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("createdAt").type(AttributeType.STRING).build()).build());

        Bucket bucket = Bucket.Builder.create(this, "Media")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(true)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("inputs").prefix("inputs/").expiration(Duration.days(30))
                                .noncurrentVersionExpiration(Duration.days(7)).abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        LifecycleRule.builder().id("outputs").prefix("outputs/").expiration(Duration.days(90))
                                .noncurrentVersionExpiration(Duration.days(7)).abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN).build();

        // the state machine's ARN is built from its name, so functions can name it without a circular reference
        String stateMachineName = getStackName() + "-outpaint";
        String stateMachineArn = formatArn(ArnComponents.builder().service("states").resource("stateMachine")
                .resourceName(stateMachineName).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        String executionsArn = formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(stateMachineName + ":*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());

        Map<String, String> env = new HashMap<>();
        env.put("TABLE_NAME", table.getTableName());
        env.put("BUCKET_NAME", bucket.getBucketName());
        env.put("STATE_MACHINE_ARN", stateMachineArn);
        env.put("WEBHOOK_SECRET_ARN", webhookSecret.getSecretArn());
        env.put("EVENT_BUS_NAME", "default");
        env.put("POWERTOOLS_SERVICE_NAME", "outpaint");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "Outpaint");
        env.put("POWERTOOLS_LOG_LEVEL", "INFO");

        Code code = Code.fromAsset(root.resolve("functions/target/lambda").toString());
        for (Spec spec : List.of(
                new Spec("UploadInput", "io.outpaint.handlers.UploadInputHandler", 1024, 900, true),
                new Spec("Submit", "io.outpaint.handlers.SubmitHandler", 512, 120, true),
                new Spec("CheckStatus", "io.outpaint.handlers.CheckStatusHandler", 512, 60, true),
                new Spec("CopyResults", "io.outpaint.handlers.CopyResultsHandler", 2048, 900, true),
                new Spec("RecordFailure", "io.outpaint.handlers.RecordFailureHandler", 512, 60, false),
                new Spec("Notify", "io.outpaint.handlers.NotifyHandler", 512, 60, false),
                new Spec("Api", "io.outpaint.handlers.ApiHandler", 1024, 29, true),
                new Spec("UploadTrigger", "io.outpaint.handlers.UploadTriggerHandler", 512, 120, false))) {
            Map<String, String> own = new HashMap<>(env);
            if (spec.scenario()) {
                own.put("SCENARIO_SECRET_ARN", scenarioSecret.getSecretArn());
            }
            LogGroup logs = LogGroup.Builder.create(this, spec.id() + "Logs").retention(RetentionDays.ONE_MONTH)
                    .removalPolicy(RemovalPolicy.DESTROY).build();
            Function fn = Function.Builder.create(this, spec.id() + "Function")
                    .runtime(Runtime.JAVA_21).handler(spec.handler()).code(code)
                    .memorySize(spec.memoryMb()).timeout(Duration.seconds(spec.timeoutSeconds()))
                    .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS).tracing(Tracing.ACTIVE)
                    .environment(own).logGroup(logs).build();
            Alias live = Alias.Builder.create(this, spec.id() + "Live").aliasName("live").version(fn.getCurrentVersion()).build();
            functions.put(spec.id(), fn);
            aliases.put(spec.id(), live);
            table.grantReadWriteData(fn);
            if (spec.scenario()) {
                scenarioSecret.grantRead(fn);
            }
        }
        bucket.grantRead(functions.get("UploadInput"), "inputs/*");
        bucket.grantRead(functions.get("UploadTrigger"), "inputs/*");
        bucket.grantRead(functions.get("CopyResults"), "outputs/*");
        bucket.grantPut(functions.get("CopyResults"), "outputs/*");
        bucket.grantRead(functions.get("Api"), "inputs/*");
        bucket.grantRead(functions.get("Api"), "outputs/*");
        bucket.grantPut(functions.get("Api"), "inputs/*");
        webhookSecret.grantRead(functions.get("Notify"));
        webhookSecret.grantRead(functions.get("Api"));
        functions.get("Notify").addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("events:PutEvents"))
                .resources(List.of(formatArn(ArnComponents.builder().service("events").resource("event-bus")
                        .resourceName("default").build()))).build());
        for (String starter : List.of("Api", "UploadTrigger")) {
            functions.get(starter).addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("states:StartExecution"))
                    .resources(List.of(stateMachineArn)).build());
        }
        functions.get("Api").addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("states:StopExecution"))
                .resources(List.of(executionsArn)).build());

        Map<String, String> substitutions = new LinkedHashMap<>();
        for (String state : List.of("UploadInput", "Submit", "CheckStatus", "CopyResults", "RecordFailure", "Notify")) {
            substitutions.put(state + "FunctionArn", aliases.get(state).getFunctionArn());
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
        substitutions.keySet().forEach(k -> aliases.get(k.replace("FunctionArn", "")).grantInvoke(machine));

        HttpApi api = HttpApi.Builder.create(this, "HttpApi").apiName(getStackName() + "-outpaint")
                .defaultAuthorizer(new HttpIamAuthorizer()).build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("ApiIntegration", aliases.get("Api"));
        api.addRoutes(AddRoutesOptions.builder().path("/jobs").methods(List.of(HttpMethod.GET, HttpMethod.POST)).integration(integration).build());
        api.addRoutes(AddRoutesOptions.builder().path("/jobs/{id}").methods(List.of(HttpMethod.GET)).integration(integration).build());
        api.addRoutes(AddRoutesOptions.builder().path("/jobs/{id}/cancel").methods(List.of(HttpMethod.POST)).integration(integration).build());
        api.addRoutes(AddRoutesOptions.builder().path("/estimate").methods(List.of(HttpMethod.POST)).integration(integration).build());

        Queue failedEvents = Queue.Builder.create(this, "TriggerFailures").retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).build();
        aliases.get("UploadTrigger").configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .onFailure(new SqsDestination(failedEvents)).retryAttempts(2).maxEventAge(Duration.hours(6)).build());
        bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(aliases.get("UploadTrigger")),
                NotificationKeyFilter.builder().prefix("inputs/").build());

        alarm("TriggerFailuresAlarm", "S3 events the upload trigger could not handle", failedEvents.metricApproximateNumberOfMessagesVisible());
        alarm("ExecutionsFailedAlarm", "Outpaint executions that failed", machine.metricFailed());
        alarm("ExecutionsTimedOutAlarm", "Outpaint executions that timed out", machine.metricTimedOut());

        CfnOutput.Builder.create(this, "ApiUrl").value(api.getApiEndpoint()).build();
        CfnOutput.Builder.create(this, "BucketName").value(bucket.getBucketName()).build();
        CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
        CfnOutput.Builder.create(this, "StateMachineArn").value(machine.getStateMachineArn()).build();
    }

    private void alarm(String id, String what, software.amazon.awscdk.services.cloudwatch.IMetric metric) {
        Alarm.Builder.create(this, id).alarmDescription(what).metric(metric).threshold(1).evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
