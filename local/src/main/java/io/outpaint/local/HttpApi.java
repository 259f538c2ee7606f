package io.outpaint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.handlers.ApiHandler;
import io.outpaint.local.console.ConsoleFiles;
import io.outpaint.local.console.ConsoleSession;
import io.outpaint.local.console.LoopbackServer;
import io.outpaint.local.console.Replies;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.local.lambda.HandlerInvoker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP API on a loopback port, as API Gateway serves it: each request becomes the same
 * payload 2.0 {@code APIGatewayV2HTTPEvent} the real function receives. A local API key in
 * {@code x-api-key} stands in for IAM authorization; the web console served here under
 * {@code /console/} is authorized by its session instead ({@link ConsoleSession}: a link's one-time
 * token, then a cookie and a CSRF token). Requests whose {@code Host} is not this address are
 * refused. Bodies are read up to the API's limit and no further, and every error it answers itself
 * has the API's {@code {"error": {code, message, fields}}} shape.
 */
public final class HttpApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API function's own limit: a larger body is refused here before more of it is read. */
    public static final int MAX_BODY_BYTES = ApiHandler.MAX_BODY_BYTES;
    /** {@code POST} with the API key: a fresh one-time console link. */
    public static final String CONSOLE_LINKS = "/console/links";

    private final LoopbackServer server;
    private final FunctionRegistry functions;
    private final String function;
    private final String apiKey;
    private final ConsoleSession session;
    private final ConsoleFiles console = new ConsoleFiles();
    private final String consoleUrl;

    public HttpApi(FunctionRegistry functions, String function, int port) throws IOException {
        this(functions, function, port, randomKey());
    }

    /** On {@code port} (0: a free one), answering only requests that send {@code apiKey}. */
    public HttpApi(FunctionRegistry functions, String function, int port, String apiKey) throws IOException {
        this.functions = functions;
        this.function = function;
        this.apiKey = apiKey;
        this.server = new LoopbackServer("http-api", port);
        this.session = new ConsoleSession(server.port());
        this.consoleUrl = session.newLink(server.url());
        server.start(this::handle);
    }

    private static String randomKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return "local-" + HexFormat.of().formatHex(key);
    }

    public String url() {
        return server.url();
    }

    /** The web console's link that {@code serve} prints: opening it in a browser is all it takes, once. */
    public String consoleUrl() {
        return consoleUrl;
    }

    /** Another one-time console link (what {@code POST /console/links} with the API key answers). */
    public String newConsoleLink() {
        return session.newLink(url());
    }

    /** The key local clients send as {@code x-api-key}; not a secret of anything but this process. */
    public String apiKey() {
        return apiKey;
    }

    private boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getPath();
        String sent = request.getHeaders().get("x-api-key");
        boolean keyed = sent != null && java.security.MessageDigest.isEqual(apiKey.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
        if (path.equals(CONSOLE_LINKS)) {
            links(request, response, callback, keyed);
            return true;
        }
        if (ConsoleFiles.serves(path)) {
            console.serve(request, response, callback, session);
            return true;
        }
        if (!keyed) {
            switch (session.authorizes(request.getHeaders(), request.getMethod())) {
                case NO_SESSION -> {
                    Replies.error(response, callback, 401, "UNAUTHORIZED", "send the local API key printed by 'serve' as x-api-key");
                    return true;
                }
                case NO_CSRF_TOKEN -> {
                    Replies.error(response, callback, 403, "CSRF_TOKEN_MISSING", "a call that changes state from the console"
                            + " needs its session's token in " + ConsoleSession.CSRF_HEADER + " (or send x-api-key)");
                    return true;
                }
                case GRANTED -> { }
            }
        }
        Optional<byte[]> body = cappedBody(request);
        if (body.isEmpty()) {
            discardSome(request);
            response.getHeaders().put("Connection", "close");
            Replies.error(response, callback, 413, "BODY_TOO_LARGE", "the body is more than " + MAX_BODY_BYTES + " bytes; the limit is " + MAX_BODY_BYTES);
            return true;
        }
        ObjectNode event;
        try {
            event = event(request, body.get());
        } catch (IllegalArgumentException e) {
            Replies.error(response, callback, 400, "BAD_REQUEST", "the query string has a malformed %-escape: "
                    + Replies.shown(String.valueOf(request.getHttpURI().getQuery())) + "; escape each byte as %XX");
            return true;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(functions.invoke(function, JSON.writeValueAsBytes(event)));
        } catch (HandlerInvoker.FunctionError | RuntimeException | IOException e) {
            Replies.error(response, callback, 500, "INTERNAL_ERROR", "the API function failed; see the log of 'serve'");
            return true;
        }
        answer.path("headers").fields().forEachRemaining(h -> response.getHeaders().put(h.getKey(), h.getValue().asText()));
        String text = answer.path("body").asText("");
        byte[] bytes = answer.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text)
                : text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.path("statusCode").asInt(502));
        response.write(true, bytes.length == 0 ? null : ByteBuffer.wrap(bytes), callback);
        return true;
    }

    /** {@code POST /console/links}: a fresh one-time console link, for the holder of the API key only. */
    private void links(Request request, Response response, Callback callback, boolean keyed) {
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put("Allow", "POST");
            Replies.error(response, callback, 405, "METHOD_NOT_ALLOWED", "method not allowed here; allowed: POST");
        } else if (!keyed) {
            Replies.error(response, callback, 401, "UNAUTHORIZED", "send the local API key printed by 'serve' as x-api-key");
        } else {
            byte[] body = JSON.createObjectNode().put("url", newConsoleLink()).put("note", "opens the console once, in one browser")
                    .toString().getBytes(StandardCharsets.UTF_8);
            Replies.send(response, callback, 201, "application/json", body);
        }
    }

    /**
     * The request body, read up to the limit and no further: empty when it is larger (declared or
     * sent), so a huge body costs at most the limit in memory.
     */
    private static Optional<byte[]> cappedBody(Request request) throws IOException {
        String declared = request.getHeaders().get("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // the server has refused a malformed length before this point; read as sent
            }
        }
        byte[] bytes = Content.Source.asInputStream(request).readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(bytes);
    }

    /**
     * Reads (and drops, through one small buffer) up to 1 MiB more of a refused body, so that a
     * client still sending a modest one reads the 413 instead of a reset connection.
     */
    private static void discardSome(Request request) throws IOException {
        byte[] buffer = new byte[8192];
        InputStream in = Content.Source.asInputStream(request);
        for (long dropped = 0; dropped < 1 << 20; ) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            dropped += n;
        }
    }

    private static ObjectNode event(Request request, byte[] body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        event.put("rawPath", path);
        event.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = event.putObject("headers");
        for (HttpField field : request.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            headers.put(name, headers.has(name) ? headers.get(name).asText() + "," + field.getValue() : field.getValue());
        }
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
        context.put("domainName", Request.getLocalAddr(request));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("stage", "$default");
        context.put("timeEpoch", Instant.now().toEpochMilli());
        ObjectNode http = context.putObject("http");
        http.put("method", request.getMethod());
        http.put("path", path);
        http.put("protocol", request.getConnectionMetaData().getProtocol());
        http.put("sourceIp", Request.getRemoteAddr(request));
        http.put("userAgent", String.valueOf(request.getHeaders().get("User-Agent")));
        if (body.length > 0) {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    @Override
    public void close() {
        server.close();
    }
}
