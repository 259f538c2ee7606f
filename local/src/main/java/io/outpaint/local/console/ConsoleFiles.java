package io.outpaint.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

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

    /**
     * Answers a GET of the console: a link's one-time token exchanged for the session cookie (then a
     * redirect to the plain address), the page for a browser holding a session (with its CSRF token),
     * a file, or the schema. A plain {@code GET /console/} without a session gets a page saying how
     * to get in, and no cookie.
     */
    public void serve(Request request, Response response, Callback callback, ConsoleSession session) {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put("Allow", "GET, HEAD");
            Replies.error(response, callback, 405, "METHOD_NOT_ALLOWED", "the console is read with GET; allowed: GET, HEAD");
            return;
        }
        String query = request.getHttpURI().getQuery();
        if (path.equals("/") || path.equals("/console")) {
            response.getHeaders().put("Location", PREFIX + (query == null ? "" : "?" + query));
            send(response, callback, 302, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        String name = path.substring(PREFIX.length());
        if (name.isEmpty() || name.equals("index.html")) {
            page(request, response, callback, session, parameter(query, ConsoleSession.TOKEN_PARAMETER));
            return;
        }
        if (name.equals("schema.json")) {
            send(response, callback, 200, "application/json", schema);
            return;
        }
        byte[] file = NAME.matcher(name).matches() ? read("/console/" + name) : null;
        if (file == null) {
            Replies.error(response, callback, 404, "NOT_FOUND", "no console file " + Replies.shown(name));
            return;
        }
        send(response, callback, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), file);
    }

    private void page(Request request, Response response, Callback callback, ConsoleSession session, Optional<String> token) {
        if (token.isPresent()) {
            Optional<String> cookie = session.redeem(token.get());
            if (cookie.isPresent() || session.csrfToken(request.getHeaders()).isPresent()) {
                // the token leaves the address bar and the history; a browser in a session already just goes on
                cookie.ifPresent(c -> response.getHeaders().add("Set-Cookie", c));
                response.getHeaders().put("Location", PREFIX);
                send(response, callback, 303, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            send(response, callback, 403, "text/html; charset=utf-8", notice("This console link was used already, or is not one this"
                    + " server gave. Each link opens the console once, in one browser."));
            return;
        }
        Optional<String> csrf = session.csrfToken(request.getHeaders());
        if (csrf.isEmpty()) {
            send(response, callback, 401, "text/html; charset=utf-8", notice("Open the console with the link that"
                    + " <code>outpaint serve</code> (or <code>outpaint console</code>) printed: it carries a one-time token."));
            return;
        }
        byte[] page = new String(read("/console/index.html"), StandardCharsets.UTF_8)
                .replace("<meta name=\"outpaint-csrf\" content=\"\">", "<meta name=\"outpaint-csrf\" content=\"" + csrf.get() + "\">")
                .getBytes(StandardCharsets.UTF_8);
        send(response, callback, 200, TYPES.get("html"), page);
    }

    private static byte[] notice(String html) {
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>outpaint console</title></head>"
                + "<body><h1>outpaint console</h1><p>" + html + "</p><p>A new link: <code>curl -X POST -H \"x-api-key: $OUTPAINT_API_KEY\""
                + " \"$OUTPAINT_ENDPOINT/console/links\"</code> (with <code>serve</code>), or start <code>outpaint console</code>"
                + " again.</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One parameter of a raw query, as sent (the console's tokens are hex: nothing to decode). */
    private static Optional<String> parameter(String query, String name) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(pair.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        Replies.send(response, callback, status, type, body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
