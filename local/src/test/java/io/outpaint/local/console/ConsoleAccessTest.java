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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.outpaint.local.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on the runtime's own HTTP API: a session only for a browser that opened a link the
 * runtime printed (its one-time token), the cookie taken from the page's origin only, a CSRF token
 * for calls that change state, no Host but the runtime's own; and {@code POST /uploads} stages a
 * video that the estimate then reads.
 */
class ConsoleAccessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("<meta name=\"outpaint-csrf\" content=\"([0-9a-f]{64})\">");
    private static LocalPipeline pipeline;
    private static String cookie;
    private static String csrf;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive());
        Session session = open(pipeline.httpApi().consoleUrl());
        cookie = session.cookie();
        csrf = session.csrf();
    }

    /** A session as a browser gets one: the link's token exchanged for the cookie, then the page read with it. */
    record Session(String cookie, String csrf) {}

    static Session open(String link) throws Exception {
        HttpResponse<String> exchange = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(exchange.statusCode()).as(exchange.body()).isEqualTo(303);
        assertThat(exchange.headers().firstValue("Location")).hasValue("/console/");
        String setCookie = exchange.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/console/"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p).contains("default-src 'self'"));
        Matcher token = CSRF.matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        return new Session(cookie, token.group(1));
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

    private static HttpResponse<String> fromPage(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + path)).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int jobCount() throws Exception {
        return JSON.readTree(jobs("x-api-key", pipeline.httpApi().apiKey()).body()).path("jobs").size();
    }

    @Test
    void aPlainGetOfTheConsoleGetsNoSession() throws Exception {
        HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/console/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(page.body()).contains("one-time token").doesNotContain("outpaint-csrf");
        HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/console/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(401);
        assertThat(index.headers().firstValue("Set-Cookie")).isEmpty();
        // a cookie of the old kind, or one made up, is no session
        assertThat(jobs("Cookie", "outpaint_console=" + "0".repeat(64), "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(401);
    }

    @Test
    void eachLinkOpensTheConsoleOnceAndAFreshOneComesWithTheKeyOnly() throws Exception {
        HttpResponse<String> unkeyed = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/console/links"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unkeyed.statusCode()).isEqualTo(401);
        HttpResponse<String> minted = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/console/links"))
                .header("x-api-key", pipeline.httpApi().apiKey()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).isEqualTo(201);
        String link = JSON.readTree(minted.body()).path("url").asText();
        assertThat(link).startsWith(pipeline.httpApi().url() + "/console/?token=").isNotEqualTo(pipeline.httpApi().consoleUrl());

        Session second = open(link);
        assertThat(second.cookie()).isNotEqualTo(cookie);
        assertThat(second.csrf()).isNotEqualTo(csrf);
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(again.body()).contains("used already");
        // the same link from the browser that holds its session just goes on to the console
        HttpResponse<String> reload = HTTP.send(HttpRequest.newBuilder(URI.create(link)).header("Cookie", second.cookie()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).isEqualTo(303);
        assertThat(reload.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void takesTheSessionCookieFromThePagesOwnOriginOnly() throws Exception {
        String origin = pipeline.httpApi().url();
        assertThat(jobs("Cookie", cookie, "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);
        assertThat(jobs("Cookie", cookie, "Origin", origin).statusCode()).isEqualTo(200);
        assertThat(jobs("Cookie", cookie, "Sec-Fetch-Site", "same-site").statusCode()).isEqualTo(401);
        assertThat(jobs("Cookie", cookie, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(401);
        assertThat(jobs("Cookie", cookie, "Origin", "http://127.0.0.1:1").statusCode()).isEqualTo(401);
        assertThat(jobs("Cookie", cookie.substring(0, cookie.indexOf('=') + 1) + "guessed", "Sec-Fetch-Site", "same-origin").statusCode())
                .isEqualTo(401);
        assertThat(jobs().statusCode()).isEqualTo(401);
        assertThat(jobs("x-api-key", pipeline.httpApi().apiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void aCallThatChangesStateNeedsTheSessionsCsrfTokenToo() throws Exception {
        String staging = "{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}";
        int before = jobCount();
        HttpResponse<String> bare = fromPage("/jobs", "{\"video\":{\"upload\":" + staging + "},\"request\":{\"prompt\":\"p\"}}");
        HttpResponse<String> wrong = fromPage("/uploads", staging, "X-Outpaint-CSRF", "0".repeat(64));
        HttpResponse<String> right = fromPage("/uploads", staging, "X-Outpaint-CSRF", csrf);

        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(403);
        assertThat(JSON.readTree(bare.body()).path("error").path("code").asText()).isEqualTo("CSRF_TOKEN_MISSING");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(jobCount()).as("nothing was created").isEqualTo(before);
        assertThat(right.statusCode()).as(right.body()).isEqualTo(201);
        assertThat(JSON.readTree(right.body()).path("key").asText()).startsWith("inputs/staged/");
    }

    @Test
    void refusesEveryHostButTheAddressItBoundEvenWithTheKey() throws Exception {
        String url = pipeline.httpApi().url();
        int port = URI.create(url).getPort();
        String key = "x-api-key: " + pipeline.httpApi().apiKey();
        for (String host : new String[] {"rebind.example:" + port, "127.0.0.1.nip.io:" + port, "127.0.0.1:1", "127.0.0.2:" + port, "[::1]:" + port}) {
            RawHttp.Answer answer = RawHttp.sendAs(host, url, "GET", "/jobs", null, key);
            assertThat(answer.status()).as(host).isEqualTo(403);
            assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).as(host).isEqualTo("HOST_NOT_ALLOWED");
        }
        URI link = URI.create(pipeline.httpApi().newConsoleLink());
        RawHttp.Answer page = RawHttp.sendAs("rebind.example:" + port, url, "GET", link.getRawPath() + "?" + link.getRawQuery(), null);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("Set-Cookie")).isNull();
        assertThat(RawHttp.sendAs("localhost:" + port, url, "GET", "/jobs", null, key).status()).isEqualTo(200);
        assertThat(RawHttp.sendAs("127.0.0.1:" + port, url, "GET", "/jobs", null, key).status()).isEqualTo(200);
    }

    @Test
    void servesTheModelInputsAsOpenApiDescribesThem() throws Exception {
        JsonNode schema = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/console/schema.json")).build(),
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

        int before = jobCount();
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
        assertThat(jobCount()).isEqualTo(before);
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> all = new java.util.ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }
}
