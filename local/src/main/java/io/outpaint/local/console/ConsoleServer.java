package io.outpaint.local.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outpaint console --endpoint}: the console on a loopback port, its API calls forwarded
 * to a deployed API and signed there by {@link SignedForwarder}. Only the console page's own
 * origin (its session cookie) may use the forwarder.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final Pattern API_PATH = Pattern.compile("/jobs(/[A-Za-z0-9_-]{1,80}(/cancel)?)?|/estimate|/uploads|/usage");
    // the API refuses bodies over 64 KiB; read a little more so it can say so itself
    private static final int MAX_BODY_BYTES = 128 * 1024;

    private final HttpServer server;
    private final SignedForwarder forwarder;
    private final ConsoleSession session = new ConsoleSession();
    private final ConsoleFiles files = new ConsoleFiles();

    public ConsoleServer(SignedForwarder forwarder, int port) throws IOException {
        this.forwarder = forwarder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "console");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + ConsoleFiles.PREFIX;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (ConsoleFiles.serves(path)) {
                files.serve(exchange, session);
                return;
            }
            if (!API_PATH.matcher(path).matches()) {
                json(exchange, 404, "NOT_FOUND", "no route " + path);
                return;
            }
            if (!session.authorizes(exchange.getRequestHeaders())) {
                json(exchange, 401, "UNAUTHORIZED", "only the console page served here may call the API through it");
                return;
            }
            byte[] body = readCapped(exchange.getRequestBody());
            if (body == null) {
                json(exchange, 413, "BODY_TOO_LARGE", "the body is over " + MAX_BODY_BYTES + " bytes");
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : new String[] {"Content-Type", "Idempotency-Key"}) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            String query = exchange.getRequestURI().getRawQuery();
            SignedForwarder.Answer answer;
            try {
                answer = forwarder.send(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query), body, headers);
            } catch (IOException e) {
                LOG.warn("forwarding {} {} to {} failed: {}", exchange.getRequestMethod(), path, forwarder.endpoint(), e.toString());
                json(exchange, 502, "API_UNREACHABLE", "the API at " + forwarder.endpoint() + " did not answer: " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                json(exchange, 503, "STOPPING", "the console is stopping");
                return;
            }
            Replies.send(exchange, answer.status(), answer.contentType(), answer.body());
        }
    }

    private static byte[] readCapped(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }

    private static void json(HttpExchange exchange, int status, String code, String message) throws IOException {
        var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        body.putObject("error").put("code", code).put("message", message).putArray("fields");
        Replies.send(exchange, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
