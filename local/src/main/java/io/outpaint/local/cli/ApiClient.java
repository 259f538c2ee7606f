package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The outpaint HTTP API from the command line: the local runtime with its API key, or a deployed
 * API signed with SigV4 (execute-api) from the default AWS credentials.
 */
final class ApiClient {

    /** {@code value} as one path segment: percent-encoded, a space as %20 (a + in a path is a plus). */
    static String segment(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An answer: its status and JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String endpoint;
    private final String apiKey;
    private final String region;

    ApiClient(String endpoint, String apiKey, String region) {
        this.endpoint = endpoint.replaceAll("/+$", "");
        this.apiKey = apiKey;
        this.region = region;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, Map.of());
    }

    Answer post(String path, JsonNode body, Map<String, String> headers) throws IOException, InterruptedException {
        return send("POST", path, body == null ? null : body.toString(), headers);
    }

    private Answer send(String method, String path, String body, Map<String, String> headers) throws IOException, InterruptedException {
        URI uri = URI.create(endpoint + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        if (apiKey != null) {
            all.put("x-api-key", apiKey);
        } else {
            all.putAll(sigV4(method, uri, body, all));
            all.remove("Host");
        }
        all.forEach(request::header);
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json;
        try {
            json = JSON.readTree(answer.body().isBlank() ? "{}" : answer.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("raw", answer.body());
        }
        return new Answer(answer.statusCode(), json);
    }

    /** The SigV4 headers API Gateway's IAM authorization checks. */
    private Map<String, String> sigV4(String method, URI uri, String body, Map<String, String> headers) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        headers.forEach(unsigned::putHeader);
        String signingRegion;
        try {
            signingRegion = region != null ? region : new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new CommandFailure("no AWS region to sign the request for: pass --region (or set AWS_REGION); "
                    + "for a local runtime, pass the --api-key that 'outpaint serve' prints (or set OUTPAINT_API_KEY)");
        }
        try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
            AwsCredentialsIdentity identity;
            try {
                identity = credentials.resolveCredentials();
            } catch (SdkClientException e) {
                throw new CommandFailure("no AWS credentials to sign the request with (the SDK's default chain found none); "
                        + "for a local runtime, pass the --api-key that 'outpaint serve' prints (or set OUTPAINT_API_KEY)");
            }
            SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned.build())
                    .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion)).request();
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            signed.headers().forEach((k, v) -> out.put(k, String.join(",", v)));
            return out;
        }
    }
}
