package io.outpaint.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets Manager's {@code GetSecretValue} (JSON 1.1 protocol) over secrets held in memory: enough for
 * a function to read its secret by ARN exactly as on AWS (Powertools' SecretsProvider over the SDK's
 * client, reached through {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}). Every other action is refused.
 */
public final class SecretsManagerEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    public SecretsManagerEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Holds {@code value} under {@code arn}; returns the ARN. */
    public String put(String arn, String value) {
        secrets.put(arn, value);
        return arn;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (!target.equals("secretsmanager.GetSecretValue")) {
                reply(exchange, 400, error("InvalidRequestException", "only GetSecretValue is served here, not " + target));
                return;
            }
            String id = body == null ? "" : body.path("SecretId").asText("");
            String value = secrets.get(id);
            if (value == null) {
                reply(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("ARN", id).put("Name", id.substring(id.lastIndexOf(':') + 1))
                    .put("SecretString", value).put("VersionId", "00000000-0000-0000-0000-000000000001")
                    .put("CreatedDate", System.currentTimeMillis() / 1000.0);
            answer.putArray("VersionStages").add("AWSCURRENT");
            reply(exchange, 200, answer);
        }
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
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
