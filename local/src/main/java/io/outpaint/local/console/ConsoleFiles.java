package io.outpaint.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's page, scripts and styles, served from the jar ({@code /console/...}), and
 * {@code /console/schema.json}: the model inputs and statuses as {@code openapi.yaml} describes
 * them, so the form shows the very defaults and ranges the API documents.
 */
public final class ConsoleFiles {

    public static final String PREFIX = "/console/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");
    // the page talks to its own origin; uploads and videos go to presigned S3 URLs on other hosts
    private static final String POLICY = "default-src 'self'; connect-src 'self' http: https:; media-src 'self' http: https: blob:; "
            + "img-src 'self' data: blob: http: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final byte[] schema;

    public ConsoleFiles() {
        this.schema = schema();
    }

    /** Whether this path is the console's: {@code /} and everything under {@code /console/}. */
    public static boolean serves(String path) {
        return path.equals("/") || path.equals("/console") || path.startsWith(PREFIX);
    }

    /** Answers a GET of the console: the page (with the session cookie), a file, or the schema. */
    public void serve(HttpExchange exchange, ConsoleSession session) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "text/plain; charset=utf-8", "the console is read with GET".getBytes());
            return;
        }
        if (path.equals("/") || path.equals("/console")) {
            exchange.getResponseHeaders().set("Location", PREFIX);
            send(exchange, 302, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        String name = path.substring(PREFIX.length());
        if (name.isEmpty()) {
            name = "index.html";
            exchange.getResponseHeaders().add("Set-Cookie", session.setCookie());
        }
        if (name.equals("schema.json")) {
            send(exchange, 200, "application/json", schema);
            return;
        }
        byte[] file = NAME.matcher(name).matches() ? read("/console/" + name) : null;
        if (file == null) {
            send(exchange, 404, "text/plain; charset=utf-8", ("no console file " + name).getBytes());
            return;
        }
        send(exchange, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), file);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        Replies.send(exchange, status, type, body);
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** ModelInputs and Status from the API's own description. */
    static byte[] schema() {
        try {
            byte[] yaml = read("/openapi.yaml");
            if (yaml == null) {
                throw new IllegalStateException("openapi.yaml is not on the classpath");
            }
            JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            JsonNode schemas = spec.path("components").path("schemas");
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.set("modelInputs", schemas.path("ModelInputs"));
            out.set("statuses", schemas.path("Status").path("enum"));
            return new ObjectMapper().writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
