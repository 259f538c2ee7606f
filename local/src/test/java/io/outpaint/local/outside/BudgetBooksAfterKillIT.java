package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.aws.Ports;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar: {@code serve --budget} is killed outright while two jobs hold
 * reservations (Scenario has their jobs) and a third waits, then started again on the same data dir. Every
 * job ends once, and the books balance: GET /usage's spent + reserved is the sum over the jobs of what they
 * were billed, nothing is left reserved, and each job is counted once.
 */
class BudgetBooksAfterKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "sim-key";
    private static final String SECRET = "sim-secret";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    private static final List<String> ENDED = List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED");

    @TempDir Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void afterAKillWithReservationsOutstandingTheBooksBalanceAgainstTheJobs() throws Exception {
        int simulatorPort = Ports.free();
        String scenarioUrl = "http://127.0.0.1:" + simulatorPort + "/v1";
        Process simulator = start(dir.resolve("simulator.log"), false, "simulator", "--port", Integer.toString(simulatorPort),
                "--job-seconds", "20");
        awaitTrue(() -> scenarioJobs(scenarioUrl) != null, simulator, dir.resolve("simulator.log"), "the simulator to listen");

        Path data = dir.resolve("data");
        int port = Ports.free();
        Process first = serve(data, port, scenarioUrl, dir.resolve("endpoints-1.json"), dir.resolve("serve-1.log"));
        JsonNode endpoints = awaitEndpoints(first, dir.resolve("endpoints-1.json"), dir.resolve("serve-1.log"));
        String url = endpoints.path("httpApi").asText();
        String apiKey = endpoints.path("apiKey").asText();

        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode created = api("POST", url + "/jobs", apiKey, "{\"video\":{\"upload\":{\"fileName\":\"clip-" + i + ".mp4\","
                    + "\"contentType\":\"video/mp4\"}},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}");
            ids.add(created.path("jobId").asText());
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(created.path("upload").path("url").asText()))
                    .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofFile(video)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        }
        // two slots (the default): two jobs reach Scenario and hold their estimates; the third waits for a slot
        awaitTrue(() -> scenarioJobs(scenarioUrl).size() == 2, first, dir.resolve("serve-1.log"), "Scenario to have two jobs");
        JsonNode before = api("GET", url + "/usage", apiKey, null);
        assertThat(before.path("jobsReserving").asInt()).as(before.toString()).isEqualTo(2);
        assertThat(before.path("reserved").asLong()).isPositive();
        assertThat(before.path("budget").asLong()).isEqualTo(1000);

        List<ProcessHandle> runtimes = first.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
        assertThat(runtimes).as("serve's runtime JVM").hasSize(1);
        runtimes.get(0).destroyForcibly(); // kill -9: no settlement, no shutdown hook
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = serve(data, port, scenarioUrl, dir.resolve("endpoints-2.json"), dir.resolve("serve-2.log"));
        awaitEndpoints(second, dir.resolve("endpoints-2.json"), dir.resolve("serve-2.log"));
        long billed = 0;
        for (String id : ids) {
            JsonNode job = awaitEnded(url, apiKey, id, second, dir.resolve("serve-2.log"));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.path("billing").path("budgetPeriod").asText()).isEqualTo(before.path("period").asText());
            billed += job.path("billing").path("billed").asLong();
        }
        assertThat(billed).isPositive();
        assertThat(scenarioJobs(scenarioUrl)).as("one Scenario job a job, none again after the restart").hasSize(3);

        JsonNode after = api("GET", url + "/usage?period=" + before.path("period").asText(), apiKey, null);
        assertThat(after.path("spent").asLong() + after.path("reserved").asLong()).as(after.toString()).isEqualTo(billed);
        assertThat(after.path("reserved").asLong()).isZero();
        assertThat(after.path("jobsReserving").asInt()).isZero();
        assertThat(after.path("jobs").asInt()).isEqualTo(3);
        assertThat(after.path("remaining").asLong()).isEqualTo(1000 - billed);
        assertThat(after.path("byDay").findValues("spent").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(billed);
    }

    private Process serve(Path data, int port, String scenarioUrl, Path endpoints, Path log) throws Exception {
        return start(log, true, "serve", "--data-dir", data.toString(), "--port", Integer.toString(port),
                "--scenario-url", scenarioUrl, "--endpoints-file", endpoints.toString(), "--budget", "1000", "--budget-period", "month");
    }

    private Process start(Path log, boolean withCredentials, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", Path.of("target", "outpaint.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SCENARIO_API_KEY");
        builder.environment().remove("SCENARIO_API_SECRET");
        if (withCredentials) {
            builder.environment().put("SCENARIO_API_KEY", KEY);
            builder.environment().put("SCENARIO_API_SECRET", SECRET);
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static JsonNode awaitEndpoints(Process serve, Path file, Path log) throws Exception {
        awaitTrue(() -> Files.exists(file), serve, log, "serve to come up");
        return JSON.readTree(file.toFile());
    }

    private static JsonNode awaitEnded(String url, String apiKey, String jobId, Process serve, Path log) throws Exception {
        JsonNode[] job = new JsonNode[1];
        awaitTrue(() -> ENDED.contains((job[0] = api("GET", url + "/jobs/" + jobId, apiKey, null)).path("status").asText()),
                serve, log, "job " + jobId + " to end");
        return job[0];
    }

    private static JsonNode api(String method, String url, String apiKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("x-api-key", apiKey)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static JsonNode scenarioJobs(String scenarioUrl) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(scenarioUrl + "/jobs?pageSize=200&hideResults=false"))
                    .header("Authorization", BASIC).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("jobs") : null;
        } catch (Exception e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, Process process, Path log, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(240);
        while (!holds(check)) {
            assertThat(process.isAlive()).as("exited while waiting for " + what + ": " + Files.readString(log)).isTrue();
            assertThat(Instant.now()).as("waited 240 s for " + what + ": " + Files.readString(log)).isBefore(deadline);
            Thread.sleep(250);
        }
    }

    private static boolean holds(Check check) {
        try {
            return check.holds();
        } catch (Exception | AssertionError e) {
            return false;
        }
    }
}
