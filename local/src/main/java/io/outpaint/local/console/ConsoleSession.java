package io.outpaint.local.console;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The console's session: an HttpOnly cookie set when the page is served, accepted on API calls
 * only from the page's own origin, so that opening the console is the only step and other
 * origins (other local ports included) still need the API key.
 */
public final class ConsoleSession {

    static final String COOKIE = "outpaint_console";

    private final String token;

    public ConsoleSession() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.token = HexFormat.of().formatHex(bytes);
    }

    /** The Set-Cookie value sent with the console's page. */
    public String setCookie() {
        return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** A request from the console page itself: the session cookie, sent by the page's own origin. */
    public boolean authorizes(Headers headers) {
        if (!hasToken(headers.get("Cookie"))) {
            return false;
        }
        String site = headers.getFirst("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin");
        }
        // browsers without Fetch Metadata: an Origin, when sent, must be this server's own
        String origin = headers.getFirst("Origin");
        String host = headers.getFirst("Host");
        return origin == null || (host != null && (origin.equals("http://" + host)));
    }

    private boolean hasToken(java.util.List<String> cookies) {
        if (cookies == null) {
            return false;
        }
        for (String header : cookies) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (p.startsWith(COOKIE + "=") && constantTimeEquals(p.substring(COOKIE.length() + 1), token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
