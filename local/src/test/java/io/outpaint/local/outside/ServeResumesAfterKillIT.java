package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.aws.Ports;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar: a standalone simulator stands in for Scenario's API,
 * reached as the real one is (a key and secret in the environment, {@code --scenario-url});
 * {@code serve --data-dir} is killed outright once Scenario has the job, then started again on
 * the same folder, and the job still ends SUCCEEDED with one Scenario job behind it.
 */
class ServeResumesAfterKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // the simulator's own credentials, given to serve as a real key would be
    private static final String KEY = "sim-key";
    private static final String SECRET = "sim-secret";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));

    @TempDir Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<ProcessHandle> sidecars = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        sidecars.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aJobWhoseServeWasKilledEndsSucceededAfterARestartWithOneScenarioJob() throws Exception {
        int simulatorPort = Ports.free();
        String scenarioUrl = "http://127.0.0.1:" + simulatorPort + "/v1";
        Process simulator = start(dir.resolve("simulator.log"), false, "simulator", "--port", Integer.toString(simulatorPort),
                "--job-seconds", "25");
        awaitTrue(() -> scenarioJobs(scenarioUrl) != null, simulator, dir.resolve("simulator.log"), "the simulator to listen");

        Path data = dir.resolve("data");
        int apiPort = Ports.free();
        Path firstLog = dir.resolve("serve-1.log");
        Process first = serve(data, apiPort, scenarioUrl, dir.resolve("endpoints-1.json"), firstLog);
        JsonNode endpoints = awaitEndpoints(first, dir.resolve("endpoints-1.json"), firstLog);
        assertThat(Files.readString(firstLog)).contains("the real Scenario API at " + scenarioUrl).contains("kept in " + data);
        assertThat(endpoints.path("httpApi").asText()).isEqualTo("http://127.0.0.1:" + apiPort);

        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        // as any client: ask for an upload URL, PUT the video there; the job starts when it lands
        String apiKey = endpoints.path("apiKey").asText();
        JsonNode created = api("POST", endpoints.path("httpApi").asText() + "/jobs", apiKey,
                "{\"video\":{\"upload\":{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}},"
                        + "\"request\":{\"prompt\":\"a wider street\",\"resolution\":\"480p\"}}");
        String jobId = created.path("jobId").asText();
        assertThat(jobId).as(created.toString()).isNotBlank();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(created.path("upload").path("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofFile(video)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        awaitTrue(() -> scenarioJobs(scenarioUrl).size() == 1, first, firstLog, "Scenario to have the job");
        ProcessHandle sidecar = first.toHandle().descendants().filter(c -> c.info().command().orElse("").contains("node"))
                .findFirst().orElseThrow(() -> new AssertionError("serve runs no Step Functions sidecar"));
        sidecars.add(sidecar);
        // the sidecar runs executions only: it is never given Scenario's key or secret
        Path sidecarEnvironment = dir.resolve("sidecar.environ");
        Files.write(sidecarEnvironment, Files.readAllBytes(Path.of("/proc", Long.toString(sidecar.pid()), "environ")));
        assertThat(Files.readString(sidecarEnvironment, StandardCharsets.ISO_8859_1)).contains("AWS_ENDPOINT_URL");
        // serve runs in a second JVM (C1Jvm): the JVM that holds the runtime is killed outright, not stopped by its launcher
        List<ProcessHandle> runtimes = first.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
        assertThat(runtimes).as("serve's runtime JVM").hasSize(1);
        runtimes.get(0).destroyForcibly();
        assertThat(runtimes.get(0).onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get()).isNotNull();
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        // the sidecar goes with the JVM that started it, even one killed outright
        assertThat(sidecar.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get()).as("the sidecar outlived serve").isNotNull();
        assertThat(sidecar.isAlive()).isFalse();

        Path secondLog = dir.resolve("serve-2.log");
        Process second = serve(data, apiPort, scenarioUrl, dir.resolve("endpoints-2.json"), secondLog);
        JsonNode again = awaitEndpoints(second, dir.resolve("endpoints-2.json"), secondLog);
        assertThat(again.path("apiKey").asText()).as("the API key is kept in the data dir").isEqualTo(apiKey);
        assertThat(again.path("httpApi").asText()).isEqualTo(endpoints.path("httpApi").asText());
        assertThat(Files.readString(secondLog)).contains("Resumed").contains(jobId);

        JsonNode job = null;
        Instant deadline = Instant.now().plusSeconds(240);
        while (Instant.now().isBefore(deadline)) {
            job = api("GET", again.path("httpApi").asText() + "/jobs/" + jobId, apiKey, null);
            if (List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED").contains(job.path("status").asText())) {
                break;
            }
            assertThat(second.isAlive()).as("serve exited: " + Files.readString(secondLog)).isTrue();
            Thread.sleep(1000);
        }
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        Path result = dir.resolve("result.mp4");
        // the finished video first, the generation beside it: the raw one shows the model's geometry
        assertThat(job.path("outputs").get(0).path("key").asText()).endsWith("/outpaint.mp4");
        JsonNode raw = java.util.stream.StreamSupport.stream(job.path("outputs").spliterator(), false)
                .filter(o -> o.path("key").asText().endsWith("/raw.mp4")).findFirst().orElseThrow();
        HttpResponse<Path> download = HTTP.send(HttpRequest.newBuilder(URI.create(raw.path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofFile(result));
        assertThat(download.statusCode()).isEqualTo(200);
        // 320x240, every side at 0.25: 480x360; at 480p: 640x480
        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(640, 480, 81, 16));

        assertThat(scenarioJobs(scenarioUrl)).as("Scenario saw one job, not a second after the restart").hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("api-key")))).isEqualTo("rw-------");
        assertNoCredentialsIn(firstLog, secondLog, dir.resolve("endpoints-1.json"), dir.resolve("endpoints-2.json"), sidecarEnvironment);
        // nor do the functions' own logs, which serve writes to the file its banner names
        List<Path> functionLogs = new java.util.ArrayList<>();
        for (Path log : List.of(firstLog, secondLog)) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("Logs\\s+(\\S+\\.log)").matcher(Files.readString(log));
            assertThat(named.find()).as("serve names its log file: " + Files.readString(log)).isTrue();
            functionLogs.add(Path.of(named.group(1)));
        }
        assertThat(Files.readString(functionLogs.get(1))).contains(jobId);
        assertNoCredentialsIn(functionLogs.toArray(Path[]::new));
        try (Stream<Path> files = Files.walk(data)) {
            assertNoCredentialsIn(files.filter(Files::isRegularFile).toArray(Path[]::new));
        }
    }

    private static void assertNoCredentialsIn(Path... files) throws Exception {
        String basic = BASIC.substring("Basic ".length());
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(text).as(file.toString()).doesNotContain(SECRET).doesNotContain(KEY).doesNotContain(basic);
        }
    }

    private Process serve(Path data, int port, String scenarioUrl, Path endpoints, Path log) throws Exception {
        return start(log, true, "serve", "--data-dir", data.toString(), "--port", Integer.toString(port),
                "--scenario-url", scenarioUrl, "--endpoints-file", endpoints.toString());
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

    private static JsonNode api(String method, String url, String apiKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("x-api-key", apiKey)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Scenario's job list as the simulator answers it; null while it does not answer. */
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
        Instant deadline = Instant.now().plusSeconds(150);
        while (!holds(check)) {
            assertThat(process.isAlive()).as("exited while waiting for " + what + ": " + Files.readString(log)).isTrue();
            assertThat(Instant.now()).as("waited 150 s for " + what + ": " + Files.readString(log)).isBefore(deadline);
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
