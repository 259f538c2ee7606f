package io.outpaint.priming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.config.PipelineConfig;
import io.outpaint.handlers.StepHandler;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.DynamoJobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The priming's rehearsal of a handler's own path: over services built from the real ones'
 * settings alone, each step takes the path its sample job leads to, the in-JVM DynamoDB and
 * EventBridge answer as the services do, and the rehearsal's metrics go nowhere.
 */
class PrimingServicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    /** Services of which the priming may use only the settings and the clock: every client and store is missing. */
    private static final PipelineServices SETTINGS_ONLY = new PipelineServices(
            PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "jobs", "BUCKET_NAME", "outpaint")),
            Clock.fixed(NOW, ZoneOffset.UTC), null, null, null, null, null, null, null, null, null, null);

    @ParameterizedTest
    @EnumSource(value = PipelineFunction.class, names = {"ADMIT", "UPLOAD_INPUT", "SUBMIT", "CHECK_STATUS", "COPY_RESULTS",
            "RECORD_FAILURE", "NOTIFY"})
    void eachStepTakesThePathItsSampleJobLeadsTo(PipelineFunction function) throws Exception {
        PipelineServices rehearsal = PrimingServices.over(SETTINGS_ONLY, PrimingServices.sampleJob(function, NOW));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new StepHandler(function, rehearsal).handleRequest(
                new ByteArrayInputStream(PrimingSteps.SAMPLE_STATE.getBytes(StandardCharsets.UTF_8)), out, new PrimingContext(function.id()));

        JsonNode next = JSON.readTree(out.toByteArray());
        assertThat(next.path("jobId").asText()).isEqualTo(PrimingSteps.ABSENT_JOB);
        switch (function) {
            // the job has ended: Admit answers its end and runs nothing
            case ADMIT -> assertThat(next.path("outcome").asText()).isEqualTo("SUCCEEDED");
            // its video is on Scenario already: nothing uploaded, the next state is the job alone
            case UPLOAD_INPUT -> assertThat(next.has("outcome")).isFalse();
            // submitted already: the state polls, with the first look's delay
            case SUBMIT -> assertThat(next.path("nextDelaySeconds").asInt()).isPositive();
            // ended while the step waited: no look at Scenario, no copy
            case CHECK_STATUS, COPY_RESULTS -> assertThat(next.path("outcome").asText()).isEqualTo("SUCCEEDED");
            // a failure of a job that had ended: not recorded, the failure's outcome answered
            case RECORD_FAILURE -> assertThat(next.path("outcome").asText()).isEqualTo("FAILED");
            // the notice built and taken by the JVM's own EventBridge (a refused entry would throw)
            case NOTIFY -> assertThat(next.path("outcome").asText()).isEqualTo("SUCCEEDED");
            default -> throw new AssertionError(function);
        }
    }

    @Test
    void theSampleJobsAreThoseTheirStepsActOnWithoutScenario() {
        assertThat(PrimingServices.sampleJob(PipelineFunction.UPLOAD_INPUT, NOW).scenario().videoAssetId()).isNotNull();
        assertThat(PrimingServices.sampleJob(PipelineFunction.UPLOAD_INPUT, NOW).scenario().jobId()).isNull();
        assertThat(PrimingServices.sampleJob(PipelineFunction.SUBMIT, NOW).scenario().jobId()).isNotNull();
        assertThat(PrimingServices.sampleJob(PipelineFunction.SUBMIT, NOW).status()).isEqualTo(JobStatus.SUBMITTED);
        Job ended = PrimingServices.sampleJob(PipelineFunction.API, "s3-0123", NOW);
        assertThat(ended.jobId()).isEqualTo("s3-0123");
        assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.outputs()).singleElement().satisfies(o -> assertThat(o.key()).isEqualTo("outputs/s3-0123/result.mp4"));
    }

    @Test
    void theJvmsDynamoDbAnswersItsOneItemAndNothingElse() {
        Job sample = PrimingServices.sampleJob(PipelineFunction.CHECK_STATUS, NOW).withVersion(4L);
        Map<String, AttributeValue> item = DynamoJobStore.itemOf(sample);
        Map<String, AttributeValue> typical = io.outpaint.store.DynamoJobDurations.itemOf("shape", 3, java.time.Duration.ofSeconds(75));
        DynamoDbClient dynamo = CannedAws.dynamoDb("jobId", java.util.List.of(item, typical));
        Map<String, AttributeValue> key = Map.of("jobId", AttributeValue.fromS(sample.jobId()));
        Map<String, AttributeValue> other = Map.of("jobId", AttributeValue.fromS("another"));

        assertThat(dynamo.getItem(b -> b.tableName("jobs").key(key)).item()).isEqualTo(item);
        assertThat(dynamo.getItem(b -> b.tableName("jobs").key(other)).hasItem()).isFalse();
        assertThat(dynamo.updateItem(b -> b.tableName("jobs").key(key).updateExpression("SET a = :a")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("x"))).returnValues(ReturnValue.ALL_NEW)).attributes())
                .isEqualTo(item);
        assertThat(dynamo.updateItem(b -> b.tableName("jobs").key(other).updateExpression("SET a = :a")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("x"))).returnValues(ReturnValue.ALL_OLD)).hasAttributes())
                .isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dynamo.updateItem(b -> b.tableName("jobs").key(other)
                        .updateExpression("SET a = :a").conditionExpression("attribute_exists(jobId)")
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("x")))))
                .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class);
        assertThat(dynamo.query(b -> b.tableName("jobs").keyConditionExpression("jobId = :k")
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("x")))).items()).isEmpty();

        assertThat(new io.outpaint.store.DynamoJobDurations(dynamo, "jobs").typical("shape")).contains(java.time.Duration.ofSeconds(75));
        // the store reads the job back as it was written
        Job read = new DynamoJobStore(dynamo, "jobs").get(sample.jobId());
        assertThat(read).usingRecursiveComparison().ignoringFields("request").isEqualTo(sample);
        assertThat(read.request().toString()).isEqualTo(sample.request().toString());
    }

    @Test
    void theJvmsEventBridgeTakesEveryEntry() {
        EventBridgeClient events = CannedAws.eventBridge();

        var answer = events.putEvents(b -> b.entries(e -> e.eventBusName("bus").source("s").detailType("d").detail("{}"),
                e -> e.eventBusName("bus").source("s").detailType("d").detail("{}")));

        assertThat(answer.failedEntryCount()).isZero();
        assertThat(answer.entries()).hasSize(2).allSatisfy(e -> assertThat(e.eventId()).startsWith("priming-"));
    }

    @Test
    void theRehearsalsMetricsAreSerializedAndWrittenNowhere() {
        Metrics metrics = DiscardingMetrics.create("Outpaint", "outpaint");
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            metrics.addMetric("AdmitOk", 1, MetricUnit.COUNT);
            metrics.flush();
        } finally {
            System.setOut(saved);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("AdmitOk").doesNotContain("CloudWatchMetrics");
    }
}
