package io.outpaint.local.lambda.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API that AWS's runtime interface client talks to, for one function's process:
 * {@code invocation/next} hands out the invocations queued by {@link #invoke}, {@code response} and
 * {@code error} answer them, {@code init/error} and {@code restore/error} report a failed start, and
 * {@code restore/next} is SnapStart's checkpoint: the client calls it once every {@code beforeCheckpoint}
 * hook has run, and runs the {@code afterRestore} hooks when it answers. What happened is kept as
 * {@link Milestone}s for the caller to wait on.
 */
public final class RuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime";
    private static final Pattern ANSWER = Pattern.compile(BASE + "/invocation/([^/]+)/(response|error)");

    /** What the runtime client did, in order. */
    public enum Kind { RESTORE_NEXT, NEXT, INIT_ERROR, RESTORE_ERROR }

    public record Milestone(Kind kind, long atNanos, String body, String errorType) {}

    /** A finished invocation: the function's answer, or its error (type and the runtime's JSON body). */
    public record Answer(boolean ok, String body, String errorType) {}

    private record Invocation(String id, byte[] payload, CompletableFuture<Answer> answer) {}

    private final String functionArn;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<Milestone> milestones = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    public RuntimeApi(String functionArn) throws IOException {
        this.functionArn = functionArn;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(BASE + "/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next thing the runtime client did, or empty after {@code timeout}. */
    public java.util.Optional<Milestone> nextMilestone(Duration timeout) throws InterruptedException {
        return java.util.Optional.ofNullable(milestones.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Queues one invocation and waits for its answer. */
    public Answer invoke(byte[] payload, Duration timeout) throws InterruptedException, TimeoutException {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), payload, new CompletableFuture<>());
        inFlight.put(invocation.id(), invocation);
        pending.add(invocation);
        try {
            return invocation.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            inFlight.remove(invocation.id());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
            Matcher answer = ANSWER.matcher(path);
            if (method.equals("GET") && path.equals(BASE + "/invocation/next")) {
                milestones.add(new Milestone(Kind.NEXT, System.nanoTime(), "", null));
                next(exchange);
            } else if (method.equals("GET") && path.equals(BASE + "/restore/next")) {
                milestones.add(new Milestone(Kind.RESTORE_NEXT, System.nanoTime(), "", null));
                reply(exchange, 200, "");
            } else if (method.equals("POST") && path.equals(BASE + "/init/error")) {
                milestones.add(new Milestone(Kind.INIT_ERROR, System.nanoTime(), text(body), errorType));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.equals(BASE + "/restore/error")) {
                milestones.add(new Milestone(Kind.RESTORE_ERROR, System.nanoTime(), text(body), errorType));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && answer.matches()) {
                Invocation invocation = inFlight.get(answer.group(1));
                if (invocation == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                boolean ok = answer.group(2).equals("response");
                invocation.answer().complete(new Answer(ok, text(body), ok ? null : errorType));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"no such route: " + method + " " + path + "\"}");
            }
        }
    }

    /** Blocks until an invocation is queued (the client waits as long as it takes, as on Lambda). */
    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation = null;
        while (invocation == null && !closed) {
            try {
                invocation = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (invocation == null) {
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.id());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 900_000));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
        exchange.sendResponseHeaders(200, invocation.payload().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.payload());
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        workers.shutdownNow();
    }
}
