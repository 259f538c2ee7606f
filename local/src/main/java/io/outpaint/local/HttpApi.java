package io.outpaint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outpaint.handlers.ApiHandler;
import io.outpaint.local.console.ConsoleFiles;
import io.outpaint.local.console.ConsoleSession;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.local.lambda.HandlerInvoker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The HTTP API on a loopback port, as API Gateway serves it: each request becomes the same
 * payload 2.0 {@code APIGatewayV2HTTPEvent} the real function receives. A local API key in
 * {@code x-api-key} stands in for IAM authorization; the web console served here under
 * {@code /console/} is authorized by its session cookie instead (same origin only). Bodies are
 * read up to the API's limit and no further, and every error it answers itself has the API's
 * {@code {"error": {code, message, fields}}} shape.
 */
public final class HttpApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API function's own limit: a larger body is refused here before more of it is read. */
    public static final int MAX_BODY_BYTES = ApiHandler.MAX_BODY_BYTES;

    private final HttpServer server;
    private final FunctionRegistry functions;
    private final String function;
    private final String apiKey;
    private final ConsoleSession session = new ConsoleSession();
    private final ConsoleFiles console = new ConsoleFiles();

    public HttpApi(FunctionRegistry functions, String function, int port) throws IOException {
        this(functions, function, port, randomKey());
    }

    /** On {@code port} (0: a free one), answering only requests that send {@code apiKey}. */
    public HttpApi(FunctionRegistry functions, String function, int port, String apiKey) throws IOException {
        this.functions = functions;
        this.function = function;
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static String randomKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return "local-" + HexFormat.of().formatHex(key);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The web console's address: opening it in a browser is all it takes. */
    public String consoleUrl() {
        return url() + ConsoleFiles.PREFIX;
    }

    /** The key local clients send as {@code x-api-key}; not a secret of anything but this process. */
    public String apiKey() {
        return apiKey;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (ConsoleFiles.serves(exchange.getRequestURI().getPath())) {
                console.serve(exchange, session);
                return;
            }
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key")) && !session.authorizes(exchange.getRequestHeaders())) {
                error(exchange, 401, "UNAUTHORIZED", "send the local API key printed by 'serve' as x-api-key");
                return;
            }
            Optional<byte[]> body = cappedBody(exchange);
            if (body.isEmpty()) {
                discardSome(exchange);
                exchange.getResponseHeaders().set("Connection", "close");
                error(exchange, 413, "BODY_TOO_LARGE", "the body is more than " + MAX_BODY_BYTES + " bytes; the limit is " + MAX_BODY_BYTES);
                return;
            }
            JsonNode response;
            try {
                response = JSON.readTree(functions.invoke(function, JSON.writeValueAsBytes(event(exchange, body.get()))));
            } catch (HandlerInvoker.FunctionError | RuntimeException | IOException e) {
                error(exchange, 500, "INTERNAL_ERROR", "the API function failed; see the log of 'serve'");
                return;
            }
            Map<String, String> headers = new java.util.HashMap<>();
            response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            String text = response.path("body").asText("");
            if (response.path("isBase64Encoded").asBoolean(false)) {
                text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            }
            reply(exchange, response.path("statusCode").asInt(502), headers, text);
        }
    }

    /**
     * The request body, read up to the limit and no further: empty when it is larger (declared or
     * sent), so a huge body costs at most the limit in memory.
     */
    private static Optional<byte[]> cappedBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // the server has refused a malformed length before this point; read as sent
            }
        }
        byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(bytes);
    }

    /**
     * Reads (and drops, through one small buffer) up to 1 MiB more of a refused body, so that a
     * client still sending a modest one reads the 413 instead of a reset connection.
     */
    private static void discardSome(HttpExchange exchange) throws IOException {
        byte[] buffer = new byte[8192];
        InputStream in = exchange.getRequestBody();
        for (long dropped = 0; dropped < 1 << 20; ) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            dropped += n;
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message).putArray("fields");
        reply(exchange, status, Map.of("Content-Type", "application/json"), body.toString());
    }

    private static ObjectNode event(HttpExchange exchange, byte[] body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        event.put("rawPath", path);
        event.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        if (query != null && !query.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(name, params.has(name) ? params.get(name).asText() + "," + value : value);
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", FunctionRegistry.ACCOUNT);
        context.put("apiId", "local");
        context.put("domainName", exchange.getLocalAddress().getHostString());
        context.put("requestId", UUID.randomUUID().toString());
        context.put("stage", "$default");
        context.put("timeEpoch", Instant.now().toEpochMilli());
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", path);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
        if (body.length > 0) {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
