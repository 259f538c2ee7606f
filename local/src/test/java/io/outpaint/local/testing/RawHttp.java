package io.outpaint.local.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, for what {@code java.net.http} will not send: a request
 * line as given ({@code //jobs}, {@code %zz}, an unknown method) and a {@code Host} header of any name.
 */
public final class RawHttp {

    /** The answer: status, headers (names in lower case, last value kept) and body as text. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    /** Sends {@code method target} to the server at {@code baseUrl}, naming {@code host} in its Host header
     * (none when null), with {@code headerLines} ("Name: value") after it. */
    public static Answer sendAs(String host, String baseUrl, String method, String target, String body, String... headerLines)
            throws IOException {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            if (host != null) {
                head.append("Host: ").append(host).append("\r\n");
            }
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                head.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** {@link #sendAs} with this server's own Host ({@code 127.0.0.1:port}). */
    public static Answer send(String baseUrl, String method, String target, String... headerLines) throws IOException {
        URI base = URI.create(baseUrl);
        return sendAs(base.getHost() + ":" + base.getPort(), baseUrl, method, target, null, headerLines);
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, text.substring(end + 4));
    }
}
