package io.outpaint.local.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * Stands in for API Gateway's IAM authorization in front of the local HTTP API: it recomputes
 * each request's SigV4 signature (execute-api) from the known credentials and refuses any that
 * does not match (403); a good one is passed on to the runtime with its local API key.
 */
final class SigV4Gateway implements AutoCloseable {

    /** One request as it arrived, and whether its signature held. */
    record Seen(String method, String path, String authorization, boolean signatureValid) {}

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AwsBasicCredentials credentials;
    private final String region;
    private final String target;
    private final String apiKey;
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    SigV4Gateway(AwsBasicCredentials credentials, String region, String target, String apiKey) throws IOException {
        this.credentials = credentials;
        this.region = region;
        this.target = target;
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean valid = auth != null && verify(exchange, auth, body);
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            seen.add(new Seen(exchange.getRequestMethod(), pathAndQuery, auth, valid));
            if (!valid) {
                reply(exchange, 403, "application/json", "{\"message\":\"Forbidden\"}".getBytes());
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + pathAndQuery)).header("x-api-key", apiKey)
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                forward.header("Content-Type", type);
            }
            try {
                HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                reply(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(exchange, 503, "text/plain", new byte[0]);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** Signs the same request again, at the time and over the headers the signature names, and compares. */
    private boolean verify(HttpExchange exchange, String auth, byte[] body) {
        Matcher m = AUTH.matcher(auth);
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (!m.matches() || date == null || !m.group(1).equals(credentials.accessKeyId()) || !m.group(3).equals(region)
                || !m.group(4).equals("execute-api")) {
            return false;
        }
        URI uri = uri().resolve(exchange.getRequestURI().toString());
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(exchange.getRequestMethod()));
        for (String name : m.group(5).split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value == null) {
                    return false;
                }
                request.putHeader(name, value);
            }
        }
        Clock at = Clock.fixed(java.time.LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request.build())
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, at)).request();
        return auth.equals(signed.firstMatchingHeader("Authorization").orElse(""));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
