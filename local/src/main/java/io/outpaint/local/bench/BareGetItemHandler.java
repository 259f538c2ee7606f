package io.outpaint.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor every SDK-using function pays: one DynamoDB client, built as the functions build
 * theirs (the SDK's defaults), and one GetItem per invocation. {@code bench coldstart} runs it in
 * a fresh JVM like a function; it is not deployed.
 */
public final class BareGetItemHandler implements RequestStreamHandler {

    private final DynamoDbClient dynamo = DynamoDbClient.create();
    private final String table = System.getenv("TABLE_NAME");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        input.readAllBytes();
        boolean found = dynamo.getItem(b -> b.tableName(table).key(Map.of("jobId", AttributeValue.fromS("sample-job")))).hasItem();
        output.write(Boolean.toString(found).getBytes(StandardCharsets.UTF_8));
    }
}
