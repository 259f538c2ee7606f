package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import io.outpaint.simulator.video.Mp4Video;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The corpus of bad requests ({@code api/hostile-requests.jsonl}: request, expected status, code
 * and field) sent over the local HTTP API to the real API function: each gets its answer in the
 * documented error shape, and none of them starts an execution.
 */
class HostileRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static LocalPipeline pipeline;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withJobDuration(Duration.ofMillis(300))
                .withoutUploadTrigger()); // the inputs put below start nothing of their own
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/api/clip.mp4").contentType("video/mp4"), RequestBody.fromFile(video));
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/api/notes.txt").contentType("text/plain"), RequestBody.fromString("text"));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = HostileRequestsTest.class.getResourceAsStream("/api/hostile-requests.jsonl");
             BufferedReader lines = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isBlank()) {
                    JsonNode c = JSON.readTree(line);
                    cases.add(Arguments.of(c.path("name").asText(), c));
                }
            }
        }
        return cases.stream();
    }

    private static HttpResponse<String> send(JsonNode spec, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + path))
                .header("x-api-key", pipeline.httpApi().apiKey()).timeout(Duration.ofSeconds(60))
                .method(spec.path("method").asText(), spec.has("body")
                        ? HttpRequest.BodyPublishers.ofString(spec.path("body").asText(), StandardCharsets.UTF_8)
                        : spec.has("bodyBase64") ? HttpRequest.BodyPublishers.ofByteArray(java.util.Base64.getDecoder().decode(spec.path("bodyBase64").asText()))
                        : HttpRequest.BodyPublishers.noBody());
        spec.path("headers").fields().forEachRemaining(h -> b.setHeader(h.getKey(), h.getValue().asText().replace("{run}", RUN)));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The token with one character in the middle of its signature changed: every bit of a middle character
     * counts (the last one's low bits are ignored by the decoder), so the signature surely differs.
     */
    static String tampered(String token) {
        int dot = token.lastIndexOf('.');
        assertThat(dot).as("a token of payload.signature: " + token).isPositive();
        int at = dot + 1 + (token.length() - dot - 1) / 2;
        char altered = token.charAt(at) == 'A' ? 'B' : 'A';
        String result = token.substring(0, at) + altered + token.substring(at + 1);
        java.util.Base64.Decoder b64 = java.util.Base64.getUrlDecoder();
        assertThat(b64.decode(result.substring(dot + 1))).as("the altered signature decodes differently")
                .isNotEqualTo(b64.decode(token.substring(dot + 1)));
        return result;
    }

    @org.junit.jupiter.api.Test
    void theAlteredTokenDiffersInItsSignatureWhateverTheSignatureIs() {
        java.util.Random random = new java.util.Random(15);
        for (int i = 0; i < 5000; i++) {
            byte[] signature = new byte[32]; // HMAC-SHA256: 43 base64url characters, the last carrying 4 bits
            random.nextBytes(signature);
            String token = "eyJmIjoiIn0." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
            assertThat(tampered(token)).isNotEqualTo(token).startsWith("eyJmIjoiIn0.");
        }
    }

    private static long executions() {
        return pipeline.cloud().stepFunctions().listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn()).maxResults(1000))
                .executions().size();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadRequestGetsItsStatusCodeAndField(String name, JsonNode spec) throws Exception {
        for (JsonNode given : spec.path("given")) {
            HttpResponse<String> answer = send(given, given.path("path").asText());
            assertThat(answer.statusCode()).as("given step of " + name + ": " + answer.body()).isBetween(200, 299);
        }
        String path = spec.path("path").asText();
        if (spec.has("nextTokenFrom")) {
            String token = JSON.readTree(send(JSON.createObjectNode().put("method", "GET"), spec.path("nextTokenFrom").asText()).body())
                    .path("nextToken").asText();
            assertThat(token).as("a nextToken to reuse").isNotEmpty();
            if (spec.path("tamper").asBoolean()) {
                token = tampered(token);
            }
            path = path.replace("{nextToken}", token);
        }
        long before = executions();
        HttpResponse<String> answer = send(spec, path);
        int status = spec.path("status").asInt();
        assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).as(name).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        if (status < 400) {
            assertThat(body.has("error")).as(name).isFalse();
            return;
        }
        JsonNode error = body.path("error");
        assertThat(error.path("code").asText()).as(name + ": " + answer.body()).isEqualTo(spec.path("code").asText());
        assertThat(error.path("message").asText()).as(name).isNotBlank();
        assertThat(error.path("fields").isArray()).as(name).isTrue();
        if (spec.has("field")) {
            assertThat(error.path("fields").findValuesAsText("field")).as(name + ": " + answer.body()).contains(spec.path("field").asText());
        }
        if (spec.has("messageContains")) {
            // the path the refusal took, said in the message or the field's
            assertThat(answer.body()).as(name).contains(spec.path("messageContains").asText());
        }
        if (spec.has("messageAtMost")) {
            assertThat(error.path("message").asText().length()).as(name + ": " + error.path("message").asText())
                    .isLessThanOrEqualTo(spec.path("messageAtMost").asInt());
        }
        assertThat(answer.body()).as(name).doesNotContain("Exception").doesNotContain("io.outpaint").doesNotContain("\tat ")
                .doesNotContain("\u0000").doesNotContain("\u001b");
        assertThat(executions()).as(name + " started nothing").isEqualTo(before);
    }

    /**
     * What {@code java.net.http} will not send: request lines the HTTP parser refuses before any route,
     * and methods and paths no route knows. Each gets the API's error shape, never the server's HTML.
     */
    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"GET,//jobs,400,BAD_REQUEST", "GET,///,400,BAD_REQUEST", "GET,/jobs/%zz,400,BAD_REQUEST",
            "GET,/jobs/%,400,BAD_REQUEST", "GET,/jobs%2,400,BAD_REQUEST", "GET,/jobs/%2F..%2Fx,400,BAD_REQUEST",
            "GET,/jobs/%00,400,BAD_REQUEST", "GET,/jobs?limit=%zz,400,BAD_REQUEST", "GET,*,400,BAD_REQUEST",
            "GET,jobs,400,BAD_REQUEST", "BREW,/jobs,405,METHOD_NOT_ALLOWED", "DELETE,/jobs/api-none,405,METHOD_NOT_ALLOWED",
            "GET,/jobs/../estimate,404,NOT_FOUND", "GET,/nothing,404,NOT_FOUND", "TRACE,/jobs,405,METHOD_NOT_ALLOWED"})
    void everyRequestLineNoRouteKnowsIsAnsweredInTheErrorShape(String method, String target, int status, String code) throws Exception {
        long before = executions();
        io.outpaint.local.testing.RawHttp.Answer answer = io.outpaint.local.testing.RawHttp.send(pipeline.httpApi().url(), method, target,
                "x-api-key: " + pipeline.httpApi().apiKey());
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).as(answer.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(error.path("fields").isArray()).isTrue();
        assertThat(answer.body()).doesNotContain("<h1>").doesNotContain("<html");
        assertThat(executions()).isEqualTo(before);
    }
}
