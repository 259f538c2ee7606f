package io.outpaint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's answers, read raw, as Scenario's documentation gives them. */
class SimulatorHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ScenarioSimulator sim;
    private static String auth;
    @TempDir static Path dir;

    @BeforeAll
    static void start() {
        sim = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withJobDuration(Duration.ofMillis(300)));
        auth = "Basic " + Base64.getEncoder().encodeToString((sim.apiKey() + ":" + sim.apiSecret()).getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, boolean authed) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authed) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String upload(Path file, int parts) throws Exception {
        long size = Files.size(file);
        JsonNode upload = JSON.readTree(send("POST", "/uploads", "{\"fileName\":\"v.mp4\",\"contentType\":\"video/mp4\","
                + "\"kind\":\"video\",\"parts\":" + parts + ",\"fileSize\":" + size + "}", true).body()).path("upload");
        byte[] bytes = Files.readAllBytes(file);
        int partSize = (int) Math.ceil((double) bytes.length / parts);
        for (JsonNode part : upload.path("parts")) {
            int n = part.path("number").asInt();
            int from = (n - 1) * partSize;
            int to = Math.min(bytes.length, from + partSize);
            var put = HttpRequest.newBuilder(URI.create(part.path("url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from)).build();
            assertThat(HTTP.send(put, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        String id = upload.path("id").asText();
        send("POST", "/uploads/" + id + "/action", "{\"action\":\"complete\"}", true);
        for (int i = 0; i < 100; i++) {
            JsonNode now = JSON.readTree(send("GET", "/uploads/" + id, null, true).body()).path("upload");
            if (!now.path("status").asText().matches("pending|validating|validated")) {
                return now.toString();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("upload never settled");
    }

    @Test
    void refusesMissingOrWrongCredentialsWith401() throws Exception {
        HttpResponse<String> answer = send("GET", "/jobs", null, false);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }

    @Test
    void refusesBadInputsWith400NamingEachField() throws Exception {
        HttpResponse<String> answer = send("POST", "/generate/custom/" + ScenarioSimulator.MODEL_ID,
                "{\"prompt\":\"p\",\"videoUrl\":\"asset_x\",\"numFrames\":300,\"num_frames\":81}", true);
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(body.path("message").asText()).contains("numFrames must be an integer from 81 to 241 (got 300)")
                .contains("num_frames is not an input");
    }

    @Test
    void importsAVideoAndRefusesPartsUnderFiveMegabytes() throws Exception {
        Path file = dir.resolve("v.mp4");
        Mp4Video.write(file, 64, 48, 10, 10, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        assertThat(JSON.readTree(upload(file, 1)).path("status").asText()).isEqualTo("imported");
        JsonNode split = JSON.readTree(upload(file, 2));
        assertThat(split.path("status").asText()).isEqualTo("failed");
        assertThat(split.path("errorMessage").asText()).contains("at least 5 MB");
    }

    @Test
    void refusesToCancelACustomJob() throws Exception {
        Path file = dir.resolve("c.mp4");
        Mp4Video.write(file, 64, 48, 10, 10, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        String asset = JSON.readTree(upload(file, 1)).path("entityId").asText();
        JsonNode job = JSON.readTree(send("POST", "/generate/custom/" + ScenarioSimulator.MODEL_ID,
                "{\"prompt\":\"p\",\"videoUrl\":\"" + asset + "\"}", true).body()).path("job");
        assertThat(job.path("metadata").path("input").path("prompt").asText()).isEqualTo("p");
        HttpResponse<String> cancel = send("POST", "/jobs/" + job.path("jobId").asText() + "/action", "{\"action\":\"cancel\"}", true);
        assertThat(cancel.statusCode()).isEqualTo(400);
        assertThat(cancel.body()).contains("Cannot cancel this type of job");
    }

    @Test
    void aTamperedCdnUrlIsRefused() throws Exception {
        var tampered = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_cdn/asset_x/asset_x.mp4?Policy=e30&Signature=bad&Key-Pair-Id=K")).build();
        assertThat(HTTP.send(tampered, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void refusesAPageSizeOutsideOneToTwoHundred() throws Exception {
        assertThat(send("GET", "/jobs?pageSize=201", null, true).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/jobs?pageSize=200", null, true).statusCode()).isEqualTo(200);
    }
}
