package io.outpaint.store;

import io.outpaint.pricing.PriceBook;
import io.outpaint.pricing.PriceShape;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link PriceBook} as items of the jobs table: one per shape ({@value #PREFIX} and the shape's hash,
 * with the shape's key to tell a hash collision) and one for the reference video. Items carry none of
 * the indexes' keys, so no listing or queue sees them; a lost race between two dry runs keeps either answer.
 */
public final class DynamoPriceBook implements PriceBook {

    /** Item keys: no job id can take these forms. */
    static final String PREFIX = "#price#";
    static final String REFERENCE = "#price-reference";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPriceBook(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Price> find(PriceShape shape) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(PREFIX + shape.hash()))).item();
        if (item == null || !item.containsKey("creativeUnits") || !item.containsKey("shape")
                || !shape.key().equals(item.get("shape").s())) {
            return Optional.empty();
        }
        return Optional.of(new Price(shape, Integer.parseInt(item.get("creativeUnits").n()), Instant.parse(item.get("pricedAt").s())));
    }

    @Override
    public void put(Price price) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("jobId", AttributeValue.fromS(PREFIX + price.shape().hash()),
                "shape", AttributeValue.fromS(price.shape().key()),
                "creativeUnits", AttributeValue.fromN(Integer.toString(price.creativeUnits())),
                "pricedAt", AttributeValue.fromS(price.pricedAt().toString()))));
    }

    @Override
    public Optional<Reference> reference() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(REFERENCE))).item();
        if (item == null || !item.containsKey("assetId")) {
            return Optional.empty();
        }
        return Optional.of(new Reference(item.get("assetId").s(), Instant.parse(item.get("uploadedAt").s())));
    }

    @Override
    public void putReference(Reference reference) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("jobId", AttributeValue.fromS(REFERENCE),
                "assetId", AttributeValue.fromS(reference.assetId()),
                "uploadedAt", AttributeValue.fromS(reference.uploadedAt().toString()))));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("jobId", AttributeValue.fromS(id));
    }
}
