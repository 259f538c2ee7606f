package io.outpaint.local.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outpaint console --endpoint}: the console on a loopback port, its API calls forwarded
 * to a deployed API and signed there by {@link SignedForwarder}. Only a browser that opened the
 * link this server printed may use the forwarder ({@link ConsoleSession}: a one-time token, then a
 * cookie, and a CSRF token for calls that change state).
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final Pattern API_PATH = Pattern.compile("/jobs(/[A-Za-z0-9_-]{1,80}(/cancel|/segments/[0-9]{1,4}/retry)?)?|/estimate|/uploads|/usage");
    // the API refuses bodies over 64 KiB; read a little more so it can say so itself
    private static final int MAX_BODY_BYTES = 128 * 1024;

    private final LoopbackServer server;
    private final SignedForwarder forwarder;
    private final ConsoleSession session;
    private final ConsoleFiles files = new ConsoleFiles();
    private final String url;

    public ConsoleServer(SignedForwarder forwarder, int port) throws IOException {
        this.forwarder = forwarder;
        this.server = new LoopbackServer("console", port);
        this.session = new ConsoleSession(server.port());
        this.url = session.newLink(server.url());
        server.start(this::handle);
    }

    /** The console's link, with its one-time token: what {@code outpaint console} prints. */
    public String url() {
        return url;
    }

    /** Another one-time link to this console. */
    public String newLink() {
        return session.newLink(server.url());
    }

    private boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getPath();
        if (ConsoleFiles.serves(path)) {
            files.serve(request, response, callback, session);
            return true;
        }
        if (!API_PATH.matcher(path).matches()) {
            Replies.error(response, callback, 404, "NOT_FOUND", "no route " + Replies.shown(path));
            return true;
        }
        switch (session.authorizes(request.getHeaders(), request.getMethod())) {
            case NO_SESSION -> {
                Replies.error(response, callback, 401, "UNAUTHORIZED", "only the console page served here may call the API through it");
                return true;
            }
            case NO_CSRF_TOKEN -> {
                Replies.error(response, callback, 403, "CSRF_TOKEN_MISSING", "a call that changes state needs the console"
                        + " session's token in " + ConsoleSession.CSRF_HEADER);
                return true;
            }
            case GRANTED -> { }
        }
        byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            response.getHeaders().put("Connection", "close");
            Replies.error(response, callback, 413, "BODY_TOO_LARGE", "the body is over " + MAX_BODY_BYTES + " bytes");
            return true;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {"Content-Type", "Idempotency-Key"}) {
            String value = request.getHeaders().get(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        String query = request.getHttpURI().getQuery();
        SignedForwarder.Answer answer;
        try {
            answer = forwarder.send(request.getMethod(), path + (query == null ? "" : "?" + query), body, headers);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("forwarding {} {} to {} failed: {}", request.getMethod(), path, forwarder.endpoint(), e.toString());
            Replies.error(response, callback, 502, "API_UNREACHABLE", "the API at " + forwarder.endpoint() + " did not answer: " + e.getMessage());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(response, callback, 503, "STOPPING", "the console is stopping");
            return true;
        }
        Replies.send(response, callback, answer.status(), answer.contentType(), answer.body());
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
