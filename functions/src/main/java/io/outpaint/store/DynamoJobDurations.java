package io.outpaint.store;

import io.outpaint.queue.JobDurations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** {@link JobDurations} as one item per shape in the jobs table; a lost race only skips a sample. */
public final class DynamoJobDurations implements JobDurations {

    /** Item keys: no job id can take this form. */
    static final String PREFIX = "#duration#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoJobDurations(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Duration> typical(String shape) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(shape))).item();
        return item == null || !item.containsKey("meanMillis") ? Optional.empty()
                : Optional.of(Duration.ofMillis(Long.parseLong(item.get("meanMillis").n())));
    }

    @Override
    public void record(String shape, Duration took) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(shape)).consistentRead(true)).item();
        long count = item == null || !item.containsKey("count") ? 0 : Long.parseLong(item.get("count").n());
        long mean = count == 0 ? took.toMillis() : Long.parseLong(item.get("meanMillis").n());
        long next = JobDurations.nextMeanMillis(mean, count, took.toMillis());
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(shape))
                    .updateExpression("SET #c = :next, meanMillis = :mean")
                    .conditionExpression(count == 0 ? "attribute_not_exists(#c)" : "#c = :count")
                    .expressionAttributeNames(Map.of("#c", "count"))
                    .expressionAttributeValues(count == 0
                            ? Map.of(":next", n(count + 1), ":mean", n(next))
                            : Map.of(":next", n(count + 1), ":mean", n(next), ":count", n(count))));
        } catch (ConditionalCheckFailedException raced) {
            // another job recorded at the same moment: one sample fewer in a running mean
        }
    }

    private static Map<String, AttributeValue> key(String shape) {
        return Map.of("jobId", AttributeValue.fromS(PREFIX + shape));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
