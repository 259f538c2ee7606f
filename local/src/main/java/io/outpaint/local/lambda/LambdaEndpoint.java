package io.outpaint.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) over the registered
 * functions: what the Step Functions sidecar, the AWS CLI and the SDK's LambdaClient call.
 */
public final class LambdaEndpoint implements AutoCloseable {

    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionRegistry registry;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-invoke");
        t.setDaemon(true);
        return t;
    });

    public LambdaEndpoint(FunctionRegistry registry, int port) throws IOException {
        this.registry = registry;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 404, error("ResourceNotFoundException", "No such operation"), null);
                return;
            }
            String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            var invoker = registry.find(name);
            if (invoker.isEmpty()) {
                reply(exchange, 404, error("ResourceNotFoundException", "Function not found: " + FunctionRegistry.arnOf(FunctionRegistry.nameOf(name))), "ResourceNotFoundException");
                return;
            }
            byte[] event = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            if ("DryRun".equals(type)) {
                reply(exchange, 204, new byte[0], null);
                return;
            }
            if ("Event".equals(type)) {
                workers.execute(() -> {
                    try {
                        invoker.get().invoke(event);
                    } catch (HandlerInvoker.FunctionError e) {
                        System.err.println("async invocation of " + name + " failed: " + e.errorType + ": " + e.errorMessage);
                    }
                });
                reply(exchange, 202, new byte[0], null);
                return;
            }
            try {
                reply(exchange, 200, invoker.get().invoke(event), null);
            } catch (HandlerInvoker.FunctionError e) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("errorMessage", e.errorMessage);
                body.put("errorType", e.errorType);
                body.put("stackTrace", e.stackTrace);
                exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                reply(exchange, 200, JSON.writeValueAsBytes(body), null);
            }
        }
    }

    private static byte[] error(String type, String message) throws IOException {
        return JSON.writeValueAsBytes(Map.of("Type", "User", "message", message, "__type", type));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body, String errorType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        if (errorType != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
