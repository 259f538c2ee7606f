package io.outpaint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.local.lambda.FunctionRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A part of the local cloud that dies while it runs is named at once and started again on its own
 * port over the data dir, finding what the dead one kept; one whose state was in memory only, or
 * that keeps dying, stops the runtime with a line naming it.
 */
class PartWatchTest {

    @TempDir Path dir;

    /** What the watch told, in order. */
    private static final class Told implements PartWatch.Listener {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<LocalCloud.Part> restarted = new CopyOnWriteArrayList<>();

        @Override public void said(String line) { lines.add("said: " + line); }
        @Override public String restarted(LocalCloud.Part part) {
            restarted.add(part);
            return "resumed nothing";
        }
        @Override public void failed(String line) { lines.add("failed: " + line); }

        String next() throws InterruptedException {
            String line = lines.poll(90, TimeUnit.SECONDS);
            assertThat(line).as("the watch said nothing").isNotNull();
            return line;
        }
    }

    @Test
    void eachPartThatDiesIsNamedAndStartedAgainOnItsPortFindingWhatItKept() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults().withDataDir(dir), new FunctionRegistry())) {
            try (var s3 = cloud.s3(); var dynamo = cloud.dynamoDb()) {
                s3.createBucket(b -> b.bucket("kept"));
                s3.putObject(b -> b.bucket("kept").key("inputs/clip.mp4"), RequestBody.fromString("video bytes"));
                dynamo.createTable(b -> b.tableName("kept").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            }
            String sfnUrl = cloud.stepFunctionsUrl();
            String dynamoUrl = cloud.dynamoDbUrl();
            String s3Url = cloud.s3Url();
            Told told = new Told();
            cloud.watch(Duration.ofMillis(200), told);

            cloud.crash(LocalCloud.Part.STEP_FUNCTIONS);
            assertThat(told.next()).matches("said: the Step Functions sidecar died \\(node, pid \\d+, exit code 137\\); "
                    + "starting it again on port " + cloud.port(LocalCloud.Part.STEP_FUNCTIONS));
            assertThat(told.next()).startsWith("said: the Step Functions sidecar is back on port "
                    + cloud.port(LocalCloud.Part.STEP_FUNCTIONS)).endsWith("; resumed nothing");
            assertThat(cloud.stepFunctionsUrl()).isEqualTo(sfnUrl);
            try (var sfn = cloud.stepFunctions()) {
                assertThat(sfn.listStateMachines().stateMachines()).isEmpty(); // a new sidecar: the owner deploys again
            }

            cloud.crash(LocalCloud.Part.DYNAMODB);
            assertThat(told.next()).isEqualTo("said: DynamoDB Local died (its port " + cloud.port(LocalCloud.Part.DYNAMODB)
                    + " takes no connections); starting it again on port " + cloud.port(LocalCloud.Part.DYNAMODB));
            assertThat(told.next()).startsWith("said: DynamoDB Local is back");
            assertThat(cloud.dynamoDbUrl()).isEqualTo(dynamoUrl);
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(dynamo.listTables().tableNames()).containsExactly("kept");
            }

            cloud.crash(LocalCloud.Part.S3);
            assertThat(told.next()).startsWith("said: S3Mock died (its port ");
            assertThat(told.next()).startsWith("said: S3Mock is back");
            assertThat(cloud.s3Url()).isEqualTo(s3Url);
            try (var s3 = cloud.s3()) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket("kept").key("inputs/clip.mp4")).asUtf8String()).isEqualTo("video bytes");
            }
            assertThat(told.restarted).containsExactly(LocalCloud.Part.STEP_FUNCTIONS, LocalCloud.Part.DYNAMODB, LocalCloud.Part.S3);
            assertThat(told.lines).isEmpty();
        }
    }

    @Test
    void aPartWhoseStateWasInMemoryOnlyStopsTheRuntimeNamingIt() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults(), new FunctionRegistry())) {
            Told told = new Told();
            cloud.watch(Duration.ofMillis(200), told);
            cloud.crash(LocalCloud.Part.DYNAMODB);
            assertThat(told.next()).startsWith("failed: DynamoDB Local died (its port ")
                    .endsWith("its state was in memory only and is gone, so the runtime stops"
                            + " (serve --data-dir DIR keeps it across such a restart)");
            assertThat(told.restarted).isEmpty();
            Thread.sleep(600); // three more ticks: the watch has ended, it says nothing more
            assertThat(told.lines).isEmpty();
        }
    }

    @Test
    void aSidecarThatKeepsDyingStopsTheRuntime() throws Exception {
        try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults(), new FunctionRegistry())) {
            Told told = new Told();
            cloud.watch(Duration.ofMillis(200), told);
            for (int death = 1; death < PartWatch.DEATHS_ALLOWED; death++) {
                cloud.crash(LocalCloud.Part.STEP_FUNCTIONS);
                assertThat(told.next()).startsWith("said: the Step Functions sidecar died (");
                assertThat(told.next()).startsWith("said: the Step Functions sidecar is back");
            }
            cloud.crash(LocalCloud.Part.STEP_FUNCTIONS);
            assertThat(told.next()).startsWith("failed: the Step Functions sidecar died 3 times within 60 s (last: node, pid ")
                    .endsWith("the runtime stops: see the log for why it dies");
            assertThat(told.restarted).hasSize(PartWatch.DEATHS_ALLOWED - 1);
        }
    }

    @Test
    void aStopOfTheWholeCloudIsNoDeath() throws Exception {
        Told told = new Told();
        LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults().withDataDir(dir), new FunctionRegistry());
        cloud.awaitS3();
        cloud.watch(Duration.ofMillis(100), told);
        cloud.close();
        Thread.sleep(500);
        assertThat(told.lines).isEmpty();
    }
}
