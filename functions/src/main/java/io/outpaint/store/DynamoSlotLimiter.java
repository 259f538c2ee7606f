package io.outpaint.store;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link SlotLimiter} as one item of the jobs table whose string set holds the job ids in flight.
 * A conditional ADD takes a slot only while the set is smaller than the limit (or already holds
 * the job, so a retried acquire is harmless); DELETE gives it back.
 */
public final class DynamoSlotLimiter implements SlotLimiter {

    /** The item's key: no job id can take this form. */
    public static final String KEY = "#scenario-slots";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSlotLimiter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean tryAcquire(String jobId, int limit) {
        return acquire(jobId, limit) != Acquired.FULL;
    }

    /** The same conditional ADD; the item as it was before (ALL_OLD) says whether the job held the slot already. */
    @Override
    public Acquired acquire(String jobId, int limit) {
        try {
            Map<String, AttributeValue> before = dynamo.updateItem(b -> b.tableName(table).key(key())
                    .updateExpression("ADD holders :job")
                    .conditionExpression("attribute_not_exists(holders) OR contains(holders, :id) OR size(holders) < :limit")
                    .expressionAttributeValues(Map.of(":job", AttributeValue.fromSs(java.util.List.of(jobId)),
                            ":id", AttributeValue.fromS(jobId), ":limit", AttributeValue.fromN(Integer.toString(limit))))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            AttributeValue held = before == null ? null : before.get("holders");
            return held != null && held.hasSs() && held.ss().contains(jobId) ? Acquired.HELD : Acquired.TAKEN;
        } catch (ConditionalCheckFailedException e) {
            return Acquired.FULL;
        }
    }

    /**
     * One conditional ADD of every job, when the set has room for all of them and holds none of them
     * yet (what a dispatcher that has just read the holders expects); when that write is refused
     * (another dispatcher took or gave back a slot meanwhile) each job is tried on its own, in order.
     */
    @Override
    public List<Acquired> acquireAll(List<String> jobIds, int limit) {
        if (jobIds.size() <= 1 || jobIds.size() > limit || Set.copyOf(jobIds).size() != jobIds.size()) {
            return SlotLimiter.super.acquireAll(jobIds, limit);
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":jobs", AttributeValue.fromSs(jobIds));
        values.put(":room", AttributeValue.fromN(Integer.toString(limit - jobIds.size())));
        StringBuilder condition = new StringBuilder("(attribute_not_exists(holders) OR size(holders) <= :room)");
        for (int i = 0; i < jobIds.size(); i++) {
            values.put(":j" + i, AttributeValue.fromS(jobIds.get(i)));
            condition.append(" AND NOT contains(holders, :j").append(i).append(')');
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key()).updateExpression("ADD holders :jobs")
                    .conditionExpression(condition.toString()).expressionAttributeValues(values));
            return Collections.nCopies(jobIds.size(), Acquired.TAKEN);
        } catch (ConditionalCheckFailedException raced) {
            return SlotLimiter.super.acquireAll(jobIds, limit);
        }
    }

    @Override
    public void release(String jobId) {
        dynamo.updateItem(b -> b.tableName(table).key(key()).updateExpression("DELETE holders :job")
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromSs(java.util.List.of(jobId)))));
    }

    @Override
    public Set<String> holders() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key()).consistentRead(true)).item();
        AttributeValue holders = item == null ? null : item.get("holders");
        return holders == null || !holders.hasSs() ? Set.of() : new HashSet<>(holders.ss());
    }

    private static Map<String, AttributeValue> key() {
        return Map.of("jobId", AttributeValue.fromS(KEY));
    }
}
