package io.outpaint.local.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake of the outpaint HTTP API on a loopback port: each method and path answers a fixed JSON body. */
final class StubApi implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    StubApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String body = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"no such path\"}}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            exchange.sendResponseHeaders(body == null ? 404 : statuses.getOrDefault(key, exchange.getRequestMethod().equals("POST") ? 202 : 200),
                    bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** {@code method} on {@code path} answers {@code json}, 202 for a POST, else 200. */
    StubApi answer(String method, String path, String json) {
        answers.put(method + " " + path, json);
        return this;
    }

    /** {@code method} on {@code path} answers {@code json} with {@code status}: an error the API gives. */
    StubApi answer(String method, String path, int status, String json) {
        statuses.put(method + " " + path, status);
        return answer(method, path, json);
    }

    /** Every request so far, as "METHOD /path", in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Each request's raw query ("null" for none), in order. */
    List<String> queries() {
        return List.copyOf(queries);
    }

    /** The body of every request so far, in order ("" for none). */
    List<String> bodies() {
        return List.copyOf(bodies);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    ApiClient client() {
        return new ApiClient(url(), "stub-key", null);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
