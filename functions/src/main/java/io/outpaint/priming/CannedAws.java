package io.outpaint.priming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * AWS services that live in the priming invocation's JVM: the SDK's own clients over an HTTP
 * client that answers each request itself, so the code that calls them runs through the SDK's
 * marshalling, signing and unmarshalling with answers of the shape the service gives, and nothing
 * is sent (the endpoints' names end in {@code .invalid}, which never resolves, should a request get
 * past this client).
 */
final class CannedAws implements SdkHttpClient {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final String TARGET = "X-Amz-Target";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));

    /** One operation's answer to one request's body (JSON protocols: the operation is the target's name). */
    @FunctionalInterface
    interface Answers {
        ObjectNode answer(String operation, JsonNode body);
    }

    private final String contentType;
    private final Answers answers;

    private CannedAws(String contentType, Answers answers) {
        this.contentType = contentType;
        this.answers = answers;
    }

    /**
     * A DynamoDB table that holds only {@code items}, whose partition key (a string) is {@code keyName}.
     * {@code GetItem} of an item's key answers the item, of any other key no item; {@code UpdateItem}
     * of an item's key answers the item (as the stores ask it back), of any other key nothing, or
     * {@code ConditionalCheckFailedException} when the update has a condition;
     * {@code Query} answers no items; every other operation an empty answer. Nothing is ever changed.
     */
    static DynamoDbClient dynamoDb(String keyName, List<Map<String, AttributeValue>> items) {
        Map<String, ObjectNode> stored = new HashMap<>();
        items.forEach(item -> stored.put(item.get(keyName).s(), map(item)));
        Answers answers = (operation, body) -> {
            ObjectNode answer = JSON.createObjectNode();
            ObjectNode found = stored.get(body.path("Key").path(keyName).path("S").asText(""));
            switch (operation) {
                case "GetItem" -> {
                    if (found != null) {
                        answer.set("Item", found.deepCopy());
                    }
                }
                case "UpdateItem" -> {
                    if (found == null && body.hasNonNull("ConditionExpression")) {
                        // as DynamoDB answers a conditional update of an item it does not hold (the job store's version check)
                        answer.put("__type", "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException")
                                .put("message", "The conditional request failed");
                    } else if (found != null && !"NONE".equals(body.path("ReturnValues").asText("NONE"))) {
                        answer.set("Attributes", found.deepCopy());
                    }
                }
                case "Query", "Scan" -> answer.put("Count", 0).put("ScannedCount", 0).putArray("Items");
                default -> {
                    // PutItem, DeleteItem and the rest: an empty answer, as DynamoDB gives when nothing is asked back
                }
            }
            return answer;
        };
        return DynamoDbClient.builder().httpClient(new CannedAws("application/x-amz-json-1.0", answers))
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(URI.create("https://dynamodb.priming.invalid")).build();
    }

    /** An EventBridge that takes every entry of a {@code PutEvents} and answers an id for each. */
    static EventBridgeClient eventBridge() {
        Answers answers = (operation, body) -> {
            ObjectNode answer = JSON.createObjectNode();
            if (operation.equals("PutEvents")) {
                ArrayNode entries = answer.put("FailedEntryCount", 0).putArray("Entries");
                for (int i = 0; i < body.path("Entries").size(); i++) {
                    entries.addObject().put("EventId", "priming-" + i);
                }
            }
            return answer;
        };
        return EventBridgeClient.builder().httpClient(new CannedAws("application/x-amz-json-1.1", answers))
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(URI.create("https://events.priming.invalid")).build();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String target = request.httpRequest().firstMatchingHeader(TARGET).orElse("");
                JsonNode body;
                try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
                    body = JSON.readTree(in);
                }
                ObjectNode reply = answers.answer(target.substring(target.indexOf('.') + 1), body);
                byte[] answer = JSON.writeValueAsBytes(reply);
                return HttpExecuteResponse.builder()
                        // an answer that names an error's type is that error, as the JSON protocols send one
                        .response(SdkHttpResponse.builder().statusCode(reply.has("__type") ? 400 : 200)
                                .putHeader("Content-Type", contentType)
                                .putHeader("Content-Length", Integer.toString(answer.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
                        .build();
            }

            @Override
            public void abort() {
                // answered at once: nothing to abort
            }
        };
    }

    /** An item as DynamoDB's JSON writes it. */
    private static ObjectNode map(Map<String, AttributeValue> values) {
        ObjectNode node = JSON.createObjectNode();
        values.forEach((name, value) -> node.set(name, value(value)));
        return node;
    }

    private static ObjectNode value(AttributeValue v) {
        ObjectNode node = JSON.createObjectNode();
        if (v.s() != null) {
            node.put("S", v.s());
        } else if (v.n() != null) {
            node.put("N", v.n());
        } else if (v.bool() != null) {
            node.put("BOOL", v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            node.put("NULL", true);
        } else if (v.b() != null) {
            node.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
        } else if (v.hasSs()) {
            ArrayNode list = node.putArray("SS");
            v.ss().forEach(list::add);
        } else if (v.hasNs()) {
            ArrayNode list = node.putArray("NS");
            v.ns().forEach(list::add);
        } else if (v.hasM()) {
            node.set("M", map(v.m()));
        } else if (v.hasL()) {
            ArrayNode list = node.putArray("L");
            v.l().forEach(e -> list.add(value(e)));
        } else {
            throw new IllegalArgumentException("an attribute value of a type the priming does not write: " + v);
        }
        return node;
    }

    @Override
    public void close() {
        // holds nothing
    }
}
