package io.outpaint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.local.testing.CountdownHandler;
import io.outpaint.local.testing.FlakyHandler;
import io.outpaint.local.testing.RecordingS3Handler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/** The local runtime driven through the standard SDK clients, as users and the pipeline drive it. */
class LocalCloudTest {

    private static LocalCloud cloud;
    private static SfnClient sfn;
    private static String machineArn;

    @BeforeAll
    static void start() throws Exception {
        FunctionRegistry functions = new FunctionRegistry()
                .register("flaky", FlakyHandler.class)
                .register("countdown", CountdownHandler.class)
                .register("recorder", RecordingS3Handler.class)
                .register("one-at-a-time", io.outpaint.local.testing.OneAtATimeHandler.class);
        // Retry intervals of 30 s and a Wait of an hour run at once
        cloud = LocalCloud.start(LocalCloud.Options.defaults().withTime(0, 5), functions);
        sfn = cloud.stepFunctions();
        String definition = Files.readString(Path.of("src/test/resources/statemachines/loop.asl.json"))
                .replace("${FlakyFunctionArn}", FunctionRegistry.arnOf("flaky"))
                .replace("${CountdownFunctionArn}", FunctionRegistry.arnOf("countdown"));
        machineArn = sfn.createStateMachine(b -> b.name("loop").definition(definition)
                .roleArn("arn:aws:iam::000000000000:role/loop")).stateMachineArn();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void aCloudThatKeepsNothingRemovesItsS3FolderWhenItStops() throws Exception {
        Path folder;
        try (LocalCloud another = LocalCloud.start(LocalCloud.Options.defaults(), new FunctionRegistry())) {
            folder = another.temporaryS3Folder().orElseThrow();
            try (var s3 = another.s3()) {
                s3.createBucket(b -> b.bucket("kept-nowhere"));
                s3.putObject(b -> b.bucket("kept-nowhere").key("inputs/a.mp4"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[4096]));
            }
            try (var files = Files.walk(folder)) {
                assertThat(files.filter(Files::isRegularFile).count()).as("S3Mock keeps the object under " + folder).isPositive();
            }
        }
        assertThat(folder).doesNotExist();
    }

    private static DescribeExecutionResponse await(String executionArn) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(executionArn + " still running");
    }

    private static List<HistoryEvent> history(String executionArn) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().stream().toList();
    }

    private static List<String> entered(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.stateEnteredEventDetails() != null)
                .map(e -> e.typeAsString() + ":" + e.stateEnteredEventDetails().name()).toList();
    }

    private static long count(List<HistoryEvent> history, HistoryEventType type) {
        return history.stream().filter(e -> e.type() == type).count();
    }

    private static String run(String input) throws InterruptedException {
        StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(machineArn).input(input));
        await(started.executionArn());
        return started.executionArn();
    }

    @Test
    void runsTheLoopAndTheHistoryShowsEveryStateAndEachRetry() throws Exception {
        String arn = run("{\"id\":\"" + UUID.randomUUID() + "\",\"failures\":2,\"delay\":3600,\"remaining\":3}");
        DescribeExecutionResponse done = sfn.describeExecution(b -> b.executionArn(arn));
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.output()).contains("\"remaining\":0").contains("\"preparedBy\":\"flaky\"");

        List<HistoryEvent> history = history(arn);
        assertThat(entered(history)).containsExactly(
                "TaskStateEntered:Prepare",
                "WaitStateEntered:Pause", "TaskStateEntered:Count", "ChoiceStateEntered:MoreToCount",
                "WaitStateEntered:Pause", "TaskStateEntered:Count", "ChoiceStateEntered:MoreToCount",
                "WaitStateEntered:Pause", "TaskStateEntered:Count", "ChoiceStateEntered:MoreToCount",
                "SucceedStateEntered:Done");
        // Prepare failed twice and was retried twice: three attempts scheduled, two failures, one success
        assertThat(history.stream().filter(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .map(e -> e.lambdaFunctionFailedEventDetails().error()))
                .containsExactly("io.outpaint.local.testing.TransientTestException",
                        "io.outpaint.local.testing.TransientTestException");
        assertThat(count(history, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)).isEqualTo(3 + 3);
        assertThat(count(history, HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED)).isEqualTo(1 + 3);
        assertThat(history.get(0).type()).isEqualTo(HistoryEventType.EXECUTION_STARTED);
        assertThat(history.get(history.size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
    }

    @Test
    void aJavaExceptionReachesTheCatchByItsClassName() throws Exception {
        String arn = run("{\"id\":\"" + UUID.randomUUID() + "\",\"broken\":true,\"delay\":0,\"remaining\":1}");
        DescribeExecutionResponse done = sfn.describeExecution(b -> b.executionArn(arn));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("PrepareFailed");
        List<HistoryEvent> history = history(arn);
        assertThat(history.stream().filter(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .map(e -> e.lambdaFunctionFailedEventDetails().error()))
                .containsExactly("io.outpaint.local.testing.BrokenTestException");
        assertThat(entered(history)).containsExactly("TaskStateEntered:Prepare", "FailStateEntered:GiveUp");
        assertThat(count(history, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)).isEqualTo(1); // not retried
    }

    @Test
    void anErrorThatOutlastsItsRetriesFailsTheExecutionWithTheClassName() throws Exception {
        String arn = run("{\"id\":\"" + UUID.randomUUID() + "\",\"failures\":10,\"delay\":0,\"remaining\":1}");
        DescribeExecutionResponse done = sfn.describeExecution(b -> b.executionArn(arn));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("io.outpaint.local.testing.TransientTestException");
        assertThat(count(history(arn), HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)).isEqualTo(4); // 1 + MaxAttempts 3
    }

    @Test
    void startingTheSameNameAndInputAgainReturnsTheRunningExecution() throws Exception {
        cloud.timeControl(1, 0); // the hour-long Wait really waits, so the execution stays running
        try {
            String input = "{\"id\":\"" + UUID.randomUUID() + "\",\"delay\":3600,\"remaining\":1}";
            StartExecutionResponse first = sfn.startExecution(b -> b.stateMachineArn(machineArn).name("same-name").input(input));
            StartExecutionResponse again = sfn.startExecution(b -> b.stateMachineArn(machineArn).name("same-name").input(input));
            assertThat(again.executionArn()).isEqualTo(first.executionArn());
            assertThat(again.startDate()).isEqualTo(first.startDate());
            assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machineArn).name("same-name").input("{\"other\":1}")))
                    .isInstanceOf(ExecutionAlreadyExistsException.class);
            assertThat(sfn.listExecutions(b -> b.stateMachineArn(machineArn).statusFilter(ExecutionStatus.RUNNING))
                    .executions()).extracting(e -> e.name()).containsOnlyOnce("same-name");

            sfn.stopExecution(b -> b.executionArn(first.executionArn()).error("Test").cause("done"));
            assertThat(sfn.describeExecution(b -> b.executionArn(first.executionArn())).status()).isEqualTo(ExecutionStatus.ABORTED);
            // a closed execution's name is taken for good
            assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machineArn).name("same-name").input(input)))
                    .isInstanceOf(ExecutionAlreadyExistsException.class);
        } finally {
            cloud.timeControl(0, 5);
        }
    }

    @Test
    void anUploadedObjectYieldsExactlyOneEventWithEveryField() throws Exception {
        S3Client s3 = cloud.s3();
        s3.createBucket(b -> b.bucket("events"));
        s3.putBucketVersioning(b -> b.bucket("events").versioningConfiguration(v -> v.status("Enabled")));
        cloud.notifyOnCreate("events", "inputs/", "recorder");
        RecordingS3Handler.EVENTS.clear();
        s3.putObject(b -> b.bucket("events").key("elsewhere/ignored.mp4"), RequestBody.fromString("no"));
        PutObjectResponse put = s3.putObject(b -> b.bucket("events").key("inputs/my video.mp4"),
                RequestBody.fromBytes("not really a video".getBytes(StandardCharsets.UTF_8)));

        Instant deadline = Instant.now().plusSeconds(10);
        while (RecordingS3Handler.EVENTS.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        Thread.sleep(1_000); // several more scans: a second event would show up here
        assertThat(RecordingS3Handler.EVENTS).hasSize(1);
        List<S3EventNotification.S3EventNotificationRecord> records = RecordingS3Handler.EVENTS.get(0).getRecords();
        assertThat(records).hasSize(1);
        var r = records.get(0);
        assertThat(r.getEventName()).isEqualTo("ObjectCreated:Put");
        assertThat(r.getEventSource()).isEqualTo("aws:s3");
        assertThat(r.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(r.getEventTime()).isNotNull();
        assertThat(r.getEventVersion()).isEqualTo("2.1");
        assertThat(r.getUserIdentity().getPrincipalId()).isNotBlank();
        assertThat(r.getRequestParameters().getSourceIPAddress()).isEqualTo("127.0.0.1");
        assertThat(r.getResponseElements().getxAmzRequestId()).isNotBlank();
        assertThat(r.getS3().getConfigurationId()).isNotBlank();
        assertThat(r.getS3().getBucket().getName()).isEqualTo("events");
        assertThat(r.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::events");
        assertThat(r.getS3().getObject().getKey()).isEqualTo("inputs/my+video.mp4");
        assertThat(r.getS3().getObject().getUrlDecodedKey()).isEqualTo("inputs/my video.mp4");
        assertThat(r.getS3().getObject().getSizeAsLong()).isEqualTo(18L);
        assertThat(r.getS3().getObject().geteTag()).isEqualTo(put.eTag().replace("\"", ""));
        assertThat(r.getS3().getObject().getSequencer()).matches("[0-9A-F]{16}");
        assertThat(put.versionId()).isNotBlank();
        assertThat(r.getS3().getObject().getVersionId()).isEqualTo(put.versionId());
    }

    @Test
    void dynamoDbLocalHonoursConditionalWrites() {
        DynamoDbClient db = cloud.dynamoDb();
        db.createTable(b -> b.tableName("conditional").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS("a"), "v", AttributeValue.fromN("1"));
        db.putItem(b -> b.tableName("conditional").item(item).conditionExpression("attribute_not_exists(id)"));
        assertThatThrownBy(() -> db.putItem(b -> b.tableName("conditional").item(item)
                .conditionExpression("attribute_not_exists(id)"))).isInstanceOf(ConditionalCheckFailedException.class);
    }

    @Test
    void s3MockTakesAMultipartUpload() throws Exception {
        S3Client s3 = cloud.s3();
        s3.createBucket(b -> b.bucket("multipart"));
        byte[] first = new byte[5 * 1024 * 1024];
        byte[] second = new byte[1024 * 1024];
        new Random(1).nextBytes(first);
        new Random(2).nextBytes(second);
        String upload = s3.createMultipartUpload(b -> b.bucket("multipart").key("big.bin")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket("multipart").key("big.bin").uploadId(upload).partNumber(1), RequestBody.fromBytes(first)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("multipart").key("big.bin").uploadId(upload).partNumber(2), RequestBody.fromBytes(second)).eTag();
        String etag = s3.completeMultipartUpload(b -> b.bucket("multipart").key("big.bin").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))).eTag();
        assertThat(etag).endsWith("-2\"");
        byte[] back = s3.getObjectAsBytes(b -> b.bucket("multipart").key("big.bin")).asByteArray();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(first);
        sha.update(second);
        assertThat(MessageDigest.getInstance("SHA-256").digest(back)).isEqualTo(sha.digest());
    }

    @Test
    void concurrentInvocationsNeverShareAHandlerInstance() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(cloud.lambdaUrl()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                .build()) {
            List<java.util.concurrent.Future<String>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(pool.submit(() -> lambda.invoke(b -> b.functionName("one-at-a-time")
                        .payload(SdkBytes.fromUtf8String("{}"))).payload().asUtf8String()));
            }
            java.util.Set<String> requestIds = new java.util.HashSet<>();
            for (var call : calls) {
                String answer = call.get();
                requestIds.add(answer.replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1"));
                assertThat(answer).contains("\"remainingMillis\":");
            }
            assertThat(requestIds).hasSize(24); // each invocation its own request id
        } finally {
            pool.shutdown();
        }
        assertThat(io.outpaint.local.testing.OneAtATimeHandler.OVERLAPS.get()).isZero();
        assertThat(io.outpaint.local.testing.OneAtATimeHandler.INSTANCES.get()).isGreaterThan(1).isLessThanOrEqualTo(24);
    }

    @Test
    void theLambdaEndpointAnswersTheSdksInvoke() {
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(cloud.lambdaUrl()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                .build()) {
            InvokeResponse ok = lambda.invoke(b -> b.functionName("countdown").payload(SdkBytes.fromUtf8String("{\"remaining\":5}")));
            assertThat(ok.functionError()).isNull();
            assertThat(ok.payload().asUtf8String()).isEqualTo("{\"remaining\":4}");
            InvokeResponse failed = lambda.invoke(b -> b.functionName(FunctionRegistry.arnOf("flaky"))
                    .payload(SdkBytes.fromUtf8String("{\"id\":\"x\",\"broken\":true}")));
            assertThat(failed.functionError()).isEqualTo("Unhandled");
            assertThat(failed.payload().asUtf8String()).contains("\"errorType\":\"io.outpaint.local.testing.BrokenTestException\"")
                    .contains("\"errorMessage\":\"run x cannot work\"").contains("\"stackTrace\":[");
        }
    }
}
