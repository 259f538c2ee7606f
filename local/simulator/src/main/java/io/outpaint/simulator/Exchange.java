package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One request and its answer, with the JSON and query helpers every route needs. */
final class Exchange {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpExchange http;
    final String method;
    final String path;
    final Map<String, String> query = new HashMap<>();

    Exchange(HttpExchange http) {
        this.http = http;
        this.method = http.getRequestMethod();
        this.path = http.getRequestURI().getRawPath();
        String raw = http.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** The body as JSON; null when it is not JSON at all. */
    JsonNode jsonBody() throws IOException {
        byte[] bytes = http.getRequestBody().readAllBytes();
        try {
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    void json(int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The error body Scenario's API answers with (seen), with a trace id to quote. */
    void error(int status, String reason) throws IOException {
        json(status, Map.of("reason", reason, "traceId", "trace-" + System.nanoTime()));
    }

    void empty(int status) throws IOException {
        http.sendResponseHeaders(status, -1);
        http.close();
    }
}
