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
        return upload(file, parts, new java.util.ArrayList<>());
    }

    /** Uploads {@code file} and reads it until it is imported or failed; {@code seen} gets every upload read. */
    private static String upload(Path file, int parts, java.util.List<JsonNode> seen) throws Exception {
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
            seen.add(now);
            if (now.path("status").asText().matches("imported|failed")) {
                return now.toString();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("upload never settled: " + seen);
    }

    private static JsonNode generate(String asset) throws Exception {
        return JSON.readTree(send("POST", "/generate/custom/" + ScenarioSimulator.MODEL_ID,
                "{\"prompt\":\"p\",\"videoUrl\":\"" + asset + "\"}", true).body());
    }

    private static String smallAsset(String name) throws Exception {
        Path file = dir.resolve(name);
        Mp4Video.write(file, 64, 48, 10, 10, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        return JSON.readTree(upload(file, 1)).path("entityId").asText();
    }

    private static JsonNode awaitFinal(String jobId) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonNode job = JSON.readTree(send("GET", "/jobs/" + jobId, null, true).body()).path("job");
            if (SimulatedJob.isFinal(job.path("status").asText())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + jobId + " never ended");
    }

    private static java.util.List<String> statuses(JsonNode job) {
        return job.path("statusHistory").findValuesAsText("status");
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
        assertThat(body.path("reason").asText()).contains("numFrames must be an integer from 81 to 241 (got 300)")
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
    void anUploadReadsCompleteWithoutAnEntityIdBeforeItIsImported() throws Exception {
        Path file = dir.resolve("i.mp4");
        Mp4Video.write(file, 64, 48, 10, 10, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        java.util.List<JsonNode> seen = new java.util.ArrayList<>();
        upload(file, 1, seen);
        JsonNode complete = seen.stream().filter(u -> u.path("status").asText().equals("complete")).findFirst().orElseThrow();
        assertThat(complete.has("entityId")).isFalse();
        JsonNode imported = seen.get(seen.size() - 1);
        assertThat(imported.path("status").asText()).isEqualTo("imported");
        assertThat(imported.path("entityId").asText()).startsWith("asset_");
        assertThat(seen.indexOf(complete)).isLessThan(seen.size() - 1);
    }

    @Test
    void anUploadCanStayCompleteForever() throws Exception {
        Path file = dir.resolve("s.mp4");
        Mp4Video.write(file, 64, 48, 10, 10, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        sim.faults().uploadsNeverImported(true);
        try {
            java.util.List<JsonNode> seen = new java.util.ArrayList<>();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> upload(file, 1, seen)).isInstanceOf(AssertionError.class);
            assertThat(seen.get(seen.size() - 1).path("status").asText()).isEqualTo("complete");
            assertThat(seen).noneMatch(u -> u.has("entityId"));
        } finally {
            sim.faults().clear();
        }
    }

    @Test
    void refusesToCancelACustomJobWithScenariosReason() throws Exception {
        JsonNode job = generate(smallAsset("c.mp4")).path("job");
        assertThat(job.path("metadata").path("input").path("prompt").asText()).isEqualTo("p");
        HttpResponse<String> cancel = send("POST", "/jobs/" + job.path("jobId").asText() + "/action", "{\"action\":\"cancel\"}", true);
        assertThat(cancel.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(cancel.body()).path("reason").asText())
                .isEqualTo("Cannot cancel this type of job. Action not permitted.");
    }

    @Test
    void aJobStartsInPendingAndGoesThroughEveryStageByDefault() throws Exception {
        JsonNode created = generate(smallAsset("p.mp4")).path("job");
        assertThat(created.path("status").asText()).isEqualTo("pending");
        assertThat(statuses(created)).containsExactly("pending");
        JsonNode done = awaitFinal(created.path("jobId").asText());
        assertThat(statuses(done)).containsExactly("pending", "queued", "warming-up", "in-progress", "finalizing", "success");
    }

    @Test
    void aShorterGenerationTakesItsShareOfTheDurationWhenAskedTo() throws Exception {
        String asset = smallAsset("frames.mp4");
        sim.jobDurationByFrames(true);
        try {
            long longest = finalizingAfter(asset, 241);
            long shortest = finalizingAfter(asset, 81);
            // the stages' dates are the job's creation plus shares of its duration: 81/241 of the longest's, to the millisecond
            assertThat(longest).isPositive();
            assertThat((double) shortest).isCloseTo(longest * 81.0 / 241, org.assertj.core.data.Offset.offset(2.0));
        } finally {
            sim.jobDurationByFrames(false);
        }
        long whatever = finalizingAfter(asset, 81);
        assertThat(whatever).as("by default every job takes the whole duration").isEqualTo(finalizingAfter(asset, 241));
    }

    /** Milliseconds from a job's creation to its finalizing stage, for a generation of {@code frames} frames. */
    private static long finalizingAfter(String asset, int frames) throws Exception {
        JsonNode created = JSON.readTree(send("POST", "/generate/custom/" + ScenarioSimulator.MODEL_ID,
                "{\"prompt\":\"p\",\"videoUrl\":\"" + asset + "\",\"numFrames\":" + frames + "}", true).body()).path("job");
        JsonNode done = awaitFinal(created.path("jobId").asText());
        java.time.Instant from = java.time.Instant.parse(done.path("statusHistory").get(0).path("date").asText());
        for (JsonNode phase : done.path("statusHistory")) {
            if (phase.path("status").asText().equals("finalizing")) {
                return java.time.Duration.between(from, java.time.Instant.parse(phase.path("date").asText())).toMillis();
            }
        }
        throw new AssertionError("no finalizing stage in " + done);
    }

    @Test
    void aJobCanSkipWarmingUpAndFinalizing() throws Exception {
        String asset = smallAsset("k.mp4");
        sim.skipOptionalStages(true);
        try {
            JsonNode created = generate(asset).path("job");
            java.util.Set<String> seen = new java.util.HashSet<>();
            String id = created.path("jobId").asText();
            JsonNode now = created;
            while (!SimulatedJob.isFinal(now.path("status").asText())) {
                seen.add(now.path("status").asText());
                now = JSON.readTree(send("GET", "/jobs/" + id, null, true).body()).path("job");
            }
            assertThat(seen).doesNotContain("warming-up", "finalizing").contains("pending");
            assertThat(statuses(now)).containsExactly("pending", "queued", "in-progress", "success");
        } finally {
            sim.skipOptionalStages(false);
        }
    }

    @Test
    void listsJobsWithTheirInputAndResultsOnlyWhenAskedNotToHideThem() throws Exception {
        String id = awaitFinal(generate(smallAsset("l.mp4")).path("job").path("jobId").asText()).path("jobId").asText();
        JsonNode hidden = JSON.readTree(send("GET", "/jobs?pageSize=200", null, true).body()).path("jobs");
        JsonNode shown = JSON.readTree(send("GET", "/jobs?pageSize=200&hideResults=false", null, true).body()).path("jobs");
        JsonNode hiddenJob = find(hidden, id);
        JsonNode shownJob = find(shown, id);
        assertThat(hiddenJob.path("metadata").has("input")).isFalse();
        assertThat(hiddenJob.path("metadata").has("assetIds")).isFalse();
        assertThat(shownJob.path("metadata").path("input").path("prompt").asText()).isEqualTo("p");
        assertThat(shownJob.path("metadata").path("assetIds")).hasSize(1);
    }

    private static JsonNode find(JsonNode jobs, String id) {
        for (JsonNode job : jobs) {
            if (job.path("jobId").asText().equals(id)) {
                return job;
            }
        }
        throw new AssertionError(id + " not listed in " + jobs);
    }

    @Test
    void thePlanLimitNamesItsActionAndLimitAndHowLongToWait() throws Exception {
        String asset = smallAsset("q.mp4");
        sim.faults().parallelJobLimit(0);
        try {
            HttpResponse<String> refused = send("POST", "/generate/custom/" + ScenarioSimulator.MODEL_ID,
                    "{\"prompt\":\"p\",\"videoUrl\":\"" + asset + "\"}", true);
            assertThat(refused.statusCode()).isEqualTo(429);
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.path("details").path("actionName").asText()).isEqualTo("parallel-custom-jobs");
            assertThat(body.path("details").path("actionLimit").asInt(-1)).isZero();
            assertThat(body.path("remainingSeconds").isNumber()).isTrue();
            assertThat(body.path("reason").asText()).isNotBlank();
        } finally {
            sim.faults().clear();
        }
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
