package io.outpaint.local.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Sends the console's API calls to a deployed API, SigV4-signed ({@code execute-api}) with the
 * credentials of this process: they never reach the browser.
 */
public final class SignedForwarder {

    /** What the API answered. */
    public record Answer(int status, String contentType, byte[] body) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;

    public SignedForwarder(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint.toString().replaceAll("/+$", "");
        this.region = region;
        this.credentials = credentials;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Signs and sends one call; {@code pathAndQuery} starts with a slash. */
    public Answer send(String method, String pathAndQuery, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        URI uri = URI.create(endpoint + pathAndQuery);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        headers.forEach(unsigned::putHeader);
        var identity = credentials.resolveCredentials();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned.build())
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        // Host is set by the client itself, from the same URI the signature covers
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                request.header(name, String.join(",", values));
            }
        });
        HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
    }
}
