package io.outpaint.local.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.TextRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes one answer: the console's files, forwarded API answers and the API's errors alike. */
public final class Replies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {}

    /** The whole answer; a HEAD gets its headers only. */
    public static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        boolean head = response.getRequest().getMethod().equals("HEAD");
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }

    /** An error in the API's shape: {@code {"error": {code, message, fields: []}}}. */
    public static void error(Response response, Callback callback, int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).putArray("fields");
        send(response, callback, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A value from the request as an error may echo it (see {@link TextRules#echoed}). */
    public static String shown(String value) {
        return TextRules.echoed(value);
    }
}
