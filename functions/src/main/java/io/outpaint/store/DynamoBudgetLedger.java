package io.outpaint.store;

import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetLedger;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link BudgetLedger} as one item of the jobs table per period ({@value #PREFIX} and the period):
 * {@code committed} (spent + reserved, the one figure a condition can compare: DynamoDB conditions
 * do no arithmetic), {@code spent}, {@code reserved}, and one {@code hold#<jobId>} attribute per
 * reservation. A reservation is a conditional ADD, as the slot limiter's; a settlement removes the
 * hold on the condition that it is still there, so it counts once, with its day's {@code day#<date>}
 * (units) and {@code jobs#<date>} (jobs) in the same write: at most 31 of each on a month's item.
 */
public final class DynamoBudgetLedger implements BudgetLedger {

    /** Item keys: no job id can take this form. */
    static final String PREFIX = "#budget#";
    private static final String DAY = "day#";
    private static final String JOBS = "jobs#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoBudgetLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Reservation reserve(String jobId, int units, Budget budget, Instant now) {
        String period = budget.period().of(now);
        long room = budget.creativeUnits() - units;
        if (room < 0) {
            return new Reservation.OverBudget(period, books(period).committed(), units, budget.creativeUnits());
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(period))
                    .updateExpression("ADD committed :units, reserved :units SET #hold = :units")
                    .conditionExpression("attribute_not_exists(#hold) AND (attribute_not_exists(committed) OR committed <= :room)")
                    .expressionAttributeNames(Map.of("#hold", "hold#" + jobId))
                    .expressionAttributeValues(Map.of(":units", n(units), ":room", n(room))));
            return new Reservation.Reserved(period, units);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = item(period);
            if (item.containsKey("hold#" + jobId)) {
                return new Reservation.HeldAlready(period);
            }
            return new Reservation.OverBudget(period, number(item, "committed"), units, budget.creativeUnits());
        }
    }

    @Override
    public void settle(String jobId, String period, int billed, Instant at) {
        String day = io.outpaint.budget.BudgetPeriod.dayWithin(period, at);
        AttributeValue held = item(period).get("hold#" + jobId);
        if (held == null) {
            return; // settled already, or never reserved here
        }
        long units = Long.parseLong(held.n());
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(period))
                    .updateExpression("REMOVE #hold ADD committed :delta, spent :billed, reserved :released, #day :billed, #jobs :one")
                    .conditionExpression("#hold = :held")
                    .expressionAttributeNames(Map.of("#hold", "hold#" + jobId, "#day", DAY + day, "#jobs", JOBS + day))
                    .expressionAttributeValues(Map.of(":delta", n(billed - units), ":billed", n(billed), ":released", n(-units),
                            ":held", held, ":one", n(1))));
        } catch (ConditionalCheckFailedException raced) {
            // another call settled it between the read and the write: it counts once
        }
    }

    @Override
    public Books books(String period) {
        Map<String, AttributeValue> item = item(period);
        int holders = (int) item.keySet().stream().filter(k -> k.startsWith("hold#")).count();
        return new Books(period, number(item, "spent"), number(item, "reserved"), holders);
    }

    @Override
    public java.util.List<Day> days(String period) {
        Map<String, AttributeValue> item = item(period);
        java.util.List<Day> days = new java.util.ArrayList<>();
        new java.util.TreeSet<>(item.keySet()).forEach(name -> {
            if (name.startsWith(DAY)) {
                String day = name.substring(DAY.length());
                days.add(new Day(day, number(item, name), (int) number(item, JOBS + day)));
            }
        });
        return days;
    }

    @Override
    public Map<String, Integer> holds(String period) {
        Map<String, Integer> holds = new java.util.HashMap<>();
        item(period).forEach((name, value) -> {
            if (name.startsWith("hold#")) {
                holds.put(name.substring("hold#".length()), Integer.parseInt(value.n()));
            }
        });
        return holds;
    }

    private Map<String, AttributeValue> item(String period) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(period)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static Map<String, AttributeValue> key(String period) {
        return Map.of("jobId", AttributeValue.fromS(PREFIX + period));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
