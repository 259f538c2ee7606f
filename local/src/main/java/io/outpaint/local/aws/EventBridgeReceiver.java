package io.outpaint.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * EventBridge's {@code PutEvents} (AWS JSON 1.1, {@code AWSEvents.PutEvents}) on a loopback port:
 * it keeps every entry it is sent, so the events the functions publish can be read back.
 * Nothing is routed on; this is a receiver, not a bus.
 */
public final class EventBridgeReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    public EventBridgeReceiver(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every entry received so far, in order: {@code Source}, {@code DetailType}, {@code Detail}, {@code EventBusName}. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            if (!exchange.getRequestMethod().equals("POST") || !target.equals("AWSEvents.PutEvents")) {
                reply(exchange, 400, JSON.createObjectNode().put("__type", "UnknownOperationException")
                        .put("message", "only PutEvents is served here, not " + target));
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            int count = body.path("Entries").size();
            if (count < 1 || count > 10) {
                // as EventBridge answers: Entries holds 1 to 10 events
                reply(exchange, 400, JSON.createObjectNode().put("__type", "ValidationException")
                        .put("message", "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have"
                                + " length " + (count < 1 ? "greater than or equal to 1" : "less than or equal to 10")));
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("FailedEntryCount", 0);
            ArrayNode entries = answer.putArray("Entries");
            for (JsonNode entry : body.path("Entries")) {
                received.add(entry);
                entries.addObject().put("EventId", UUID.randomUUID().toString());
            }
            reply(exchange, 200, answer);
        }
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
