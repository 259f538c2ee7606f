package io.outpaint.store;

import io.outpaint.queue.JobDurations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link JobDurations} as one item per shape in the jobs table; a lost race only skips a sample.
 * A shape's typical time, once known, is read again from the table at most every {@link #KEPT}
 * in one container: it is an estimate, asked for on every read of a running job, every answer
 * to a POST and every submission, and a mean over twenty jobs moves slowly. A shape not known yet
 * is looked up every time, so the first job of a shape to end is known to the next at once.
 */
public final class DynamoJobDurations implements JobDurations {

    /** Item keys: no job id can take this form. */
    static final String PREFIX = "#duration#";
    /** How long a typical time read or written here is used before it is read again. */
    static final Duration KEPT = Duration.ofSeconds(30);

    private record Known(Duration typical, Instant until) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public DynamoJobDurations(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC());
    }

    DynamoJobDurations(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<Duration> typical(String shape) {
        Known kept = known.get(shape);
        if (kept != null && clock.instant().isBefore(kept.until())) {
            return Optional.of(kept.typical());
        }
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(shape))).item();
        if (item == null || !item.containsKey("meanMillis")) {
            return Optional.empty();
        }
        Duration typical = Duration.ofMillis(Long.parseLong(item.get("meanMillis").n()));
        keep(shape, typical);
        return Optional.of(typical);
    }

    private void keep(String shape, Duration typical) {
        known.put(shape, new Known(typical, clock.instant().plus(KEPT)));
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
            keep(shape, Duration.ofMillis(next));
        } catch (ConditionalCheckFailedException raced) {
            // another job recorded at the same moment: one sample fewer in a running mean
        }
    }

    /** The item this store keeps for {@code shape} after {@code count} jobs (for SnapStart's priming, which answers it itself). */
    public static Map<String, AttributeValue> itemOf(String shape, long count, Duration mean) {
        return Map.of("jobId", AttributeValue.fromS(PREFIX + shape), "count", n(count), "meanMillis", n(mean.toMillis()));
    }

    private static Map<String, AttributeValue> key(String shape) {
        return Map.of("jobId", AttributeValue.fromS(PREFIX + shape));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
