package io.outpaint.local.console;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server on a loopback port that answers everything in the API's error shape: requests the
 * HTTP parser refuses ({@code //jobs} or a bad percent-encoding in the path included) and requests
 * whose {@code Host} is not the address bound ({@code 127.0.0.1:port} or {@code localhost:port}),
 * so that a page on another name that rebinds to 127.0.0.1 (DNS rebinding) reaches nothing.
 */
public final class LoopbackServer implements AutoCloseable {

    // a job id of a few thousand characters still reaches the API, which then says it is not one
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;

    /** Binds {@code port} (0: a free one) now; answers nothing until {@link #start}. */
    public LoopbackServer(String threadName, int port) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName(threadName);
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(port);
        connector.setAcceptQueueSize(64);
        server.addConnector(connector);
        server.setErrorHandler(LoopbackServer::refused);
        connector.open();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL, as clients name it. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Starts answering: requests with this server's own {@code Host} go to {@code handler}. */
    public LoopbackServer start(Request.Handler handler) throws IOException {
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String host = request.getHeaders().get(HttpHeader.HOST);
                if (!isOwnHost(host)) {
                    Replies.error(response, callback, 403, "HOST_NOT_ALLOWED", "the Host header " + Replies.shown(String.valueOf(host))
                            + " is not this server's; allowed: 127.0.0.1:" + port() + " or localhost:" + port()
                            + " (DNS rebinding: a page on another name reaches nothing here)");
                    return true;
                }
                return handler.handle(request, response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("the HTTP server on port " + port() + " did not start: " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Whether {@code host} (a Host header) names the address bound: 127.0.0.1 or localhost, with this
     * port or none (a browser names the host it connected to; only these two are this machine's).
     */
    boolean isOwnHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : new String[] {"127.0.0.1", "localhost"}) {
            if (h.equals(name) || h.equals(name + ":" + port())) {
                return true;
            }
        }
        return false;
    }

    /** What the HTTP parser refused, or a handler failed on, in the API's error shape. */
    private static boolean refused(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : 500;
        String reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m ? m : "";
        String message = status >= 500 ? "the request failed; see the log"
                : "the request line or its headers are malformed" + (reason.isBlank() ? "" : " (" + Replies.shown(reason) + ")")
                + "; send a path of /-separated segments with %XX escapes only, and well-formed headers";
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 413 -> "BODY_TOO_LARGE";
            case 414, 431 -> "REQUEST_TOO_LARGE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
        Replies.error(response, callback, status, code, message);
        return true;
    }

    @Override
    public void close() {
        try {
            server.stop();
            connector.close();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server on port " + port() + " did not stop: " + e.getMessage(), e);
        }
    }
}
