package io.outpaint.local.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpFields;

/**
 * Who may use the console: only a browser that opened a link this server printed. Each link
 * carries a one-time token, exchanged for an HttpOnly, SameSite=Strict session cookie; a plain
 * {@code GET /console/} gets nothing. Calls with the cookie are taken from the page's own origin
 * only, and calls that change state need the session's CSRF token too (the page holds it, in a
 * {@code <meta>} tag, and sends it as {@value #CSRF_HEADER}).
 */
public final class ConsoleSession {

    public static final String CSRF_HEADER = "X-Outpaint-CSRF";
    static final String TOKEN_PARAMETER = "token";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** What a request with the session cookie may do. */
    public enum Access { GRANTED, NO_SESSION, NO_CSRF_TOKEN }

    // cookies ignore ports: one name per server, so that serve and console on one host keep their own sessions
    private final String cookie;
    private final Set<String> unusedLinks = ConcurrentHashMap.newKeySet();
    /** Session id to its CSRF token. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    public ConsoleSession(int port) {
        this.cookie = "outpaint_console_" + port;
    }

    /** A fresh one-time token for a console link ({@code /console/?token=...}). */
    public String newLinkToken() {
        String token = random();
        unusedLinks.add(token);
        return token;
    }

    /** The console's link with a fresh one-time token, on {@code baseUrl} ({@code http://127.0.0.1:port}). */
    public String newLink(String baseUrl) {
        return baseUrl + ConsoleFiles.PREFIX + "?" + TOKEN_PARAMETER + "=" + newLinkToken();
    }

    /** Spends a link's token: the Set-Cookie value of a new session, or empty for a token used already or never given. */
    Optional<String> redeem(String token) {
        if (token == null || !unusedLinks.remove(token)) {
            return Optional.empty();
        }
        String id = random();
        sessions.put(id, random());
        return Optional.of(cookie + "=" + id + "; Path=/; HttpOnly; SameSite=Strict");
    }

    /** The CSRF token of the session the request's cookie names, if it names one. */
    Optional<String> csrfToken(HttpFields headers) {
        return sessionId(headers).map(sessions::get);
    }

    /**
     * A request from the console page itself: its session cookie, sent from the page's own origin,
     * and for anything but GET, HEAD and OPTIONS, the session's CSRF token in {@value #CSRF_HEADER}.
     */
    public Access authorizes(HttpFields headers, String method) {
        Optional<String> csrf = csrfToken(headers);
        if (csrf.isEmpty() || !fromOwnOrigin(headers)) {
            return Access.NO_SESSION;
        }
        if (SAFE_METHODS.contains(method)) {
            return Access.GRANTED;
        }
        String sent = headers.get(CSRF_HEADER);
        return sent != null && constantTimeEquals(sent, csrf.get()) ? Access.GRANTED : Access.NO_CSRF_TOKEN;
    }

    private static boolean fromOwnOrigin(HttpFields headers) {
        String site = headers.get("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin");
        }
        // browsers without Fetch Metadata: an Origin, when sent, must be this server's own
        String origin = headers.get("Origin");
        String host = headers.get("Host");
        return origin == null || (host != null && origin.equals("http://" + host));
    }

    private Optional<String> sessionId(HttpFields headers) {
        List<String> values = headers.getValuesList("Cookie");
        for (String header : values) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (p.startsWith(cookie + "=")) {
                    String id = p.substring(cookie.length() + 1);
                    if (sessions.containsKey(id)) {
                        return Optional.of(id);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
