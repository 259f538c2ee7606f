package io.outpaint.local.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on the runtime's own HTTP API: the page's session cookie stands in for the key from
 * the page's origin only, and {@code POST /uploads} stages a video that the estimate then reads.
 */
class ConsoleAccessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPipeline pipeline;
    private static String cookie;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive());
        HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().consoleUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p).contains("default-src 'self'"));
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static HttpResponse<String> jobs(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/jobs"));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + path)).header("x-api-key", pipeline.httpApi().apiKey())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void takesTheSessionCookieFromThePagesOwnOriginOnly() throws Exception {
        String origin = pipeline.httpApi().url();
        assertThat(jobs("Cookie", cookie, "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);
        assertThat(jobs("Cookie", cookie, "Origin", origin).statusCode()).isEqualTo(200);
        assertThat(jobs("Cookie", cookie, "Sec-Fetch-Site", "same-site").statusCode()).isEqualTo(401);
        assertThat(jobs("Cookie", cookie, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(401);
        assertThat(jobs("Cookie", cookie, "Origin", "http://127.0.0.1:1").statusCode()).isEqualTo(401);
        assertThat(jobs("Cookie", "outpaint_console=guessed", "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(401);
        assertThat(jobs().statusCode()).isEqualTo(401);
        assertThat(jobs("x-api-key", pipeline.httpApi().apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void servesTheModelInputsAsOpenApiDescribesThem() throws Exception {
        JsonNode schema = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().consoleUrl() + "schema.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode inputs = schema.path("modelInputs").path("properties");
        assertThat(iterable(inputs.fieldNames())).containsExactlyInAnyOrderElementsOf(io.outpaint.request.OutpaintRequest.FIELDS);
        assertThat(inputs.path("numFrames").path("minimum").asInt()).isEqualTo(81);
        assertThat(inputs.path("numFrames").path("default").asInt()).isEqualTo(81);
        assertThat(inputs.path("resolution").path("enum").toString()).isEqualTo("[\"720p\",\"580p\",\"480p\"]");
        inputs.fields().forEachRemaining(f -> assertThat(f.getValue().path("description").asText()).as(f.getKey()).isNotBlank());
        assertThat(schema.path("statuses").toString()).contains("SUCCEEDED", "CANCELED");
    }

    @Test
    void stagesAnUploadThatTheEstimateReadsAndStartsNothing() throws Exception {
        HttpResponse<String> bad = post("/uploads", "{\"fileName\":\"../clip.mp4\",\"contentType\":\"video/mp4\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").path("fields").get(0).path("field").asText()).isEqualTo("fileName");
        assertThat(post("/uploads", "{\"fileName\":\"clip.mp4\",\"contentType\":\"image/png\"}").statusCode()).isEqualTo(400);

        int before = JSON.readTree(jobs("x-api-key", pipeline.httpApi().apiKey()).body()).path("jobs").size();
        HttpResponse<String> staged = post("/uploads", "{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}");
        assertThat(staged.statusCode()).isEqualTo(201);
        JsonNode answer = JSON.readTree(staged.body());
        String key = answer.path("key").asText();
        assertThat(key).startsWith("inputs/staged/").endsWith("/clip.mp4");
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 16, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(answer.path("upload").path("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        HttpResponse<String> estimate = post("/estimate", "{\"video\":{\"key\":\"" + key + "\"},\"request\":{\"prompt\":\"p\"}}");
        assertThat(estimate.statusCode()).as(estimate.body()).isEqualTo(200);
        assertThat(JSON.readTree(estimate.body()).path("creativeUnits").asInt()).isPositive();
        Thread.sleep(1500); // several scans of the bucket's S3 events
        assertThat(JSON.readTree(jobs("x-api-key", pipeline.httpApi().apiKey()).body()).path("jobs").size()).isEqualTo(before);
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> all = new java.util.ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }
}
