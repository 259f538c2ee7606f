package io.outpaint.local.outside;

import static io.outpaint.local.outside.JarProcesses.BASIC;
import static io.outpaint.local.outside.JarProcesses.HTTP;
import static io.outpaint.local.outside.JarProcesses.KEY;
import static io.outpaint.local.outside.JarProcesses.SECRET;
import static io.outpaint.local.outside.JarProcesses.json;
import static io.outpaint.local.outside.JarProcesses.killRuntimeJvm;
import static io.outpaint.local.outside.JarProcesses.scenarioJobs;
import static io.outpaint.local.outside.JarProcesses.sidecar;
import static io.outpaint.local.outside.JarProcesses.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.local.aws.Ports;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar: a standalone simulator stands in for Scenario's API,
 * reached as the real one is (a key and secret in the environment, {@code --scenario-url});
 * {@code serve --data-dir} is killed outright once Scenario has the job, then started again on
 * the same folder, and the job still ends SUCCEEDED with one Scenario job behind it.
 */
class ServeResumesAfterKillIT {

    @TempDir Path dir;
    @RegisterExtension final JarProcesses jar = new JarProcesses(Duration.ofSeconds(150), Duration.ofSeconds(20));

    @Test
    void aJobWhoseServeWasKilledEndsSucceededAfterARestartWithOneScenarioJob() throws Exception {
        String scenarioUrl = jar.startSimulator(dir.resolve("simulator.log"), 25);

        Path data = dir.resolve("data");
        int apiPort = Ports.free();
        Path firstLog = dir.resolve("serve-1.log");
        Process first = serve(data, apiPort, scenarioUrl, dir.resolve("endpoints-1.json"), firstLog);
        JsonNode endpoints = jar.awaitEndpoints(first, dir.resolve("endpoints-1.json"), firstLog);
        assertThat(Files.readString(firstLog)).contains("the real Scenario API at " + scenarioUrl).contains("kept in " + data);
        assertThat(endpoints.path("httpApi").asText()).isEqualTo("http://127.0.0.1:" + apiPort);

        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        // as any client: ask for an upload URL, PUT the video there; the job starts when it lands
        String apiKey = endpoints.path("apiKey").asText();
        JsonNode created = json("POST", endpoints.path("httpApi").asText() + "/jobs", apiKey,
                "{\"video\":{\"upload\":{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}},"
                        + "\"request\":{\"prompt\":\"a wider street\",\"resolution\":\"480p\"}}");
        String jobId = created.path("jobId").asText();
        assertThat(jobId).as(created.toString()).isNotBlank();
        upload(created.path("upload").path("url").asText(), video);

        jar.awaitTrue(() -> scenarioJobs(scenarioUrl).size() == 1, first, firstLog, "Scenario to have the job");
        ProcessHandle sidecar = sidecar(first);
        jar.alsoStop(sidecar);
        // the sidecar runs executions only: it is never given Scenario's key or secret
        Path sidecarEnvironment = dir.resolve("sidecar.environ");
        Files.write(sidecarEnvironment, Files.readAllBytes(Path.of("/proc", Long.toString(sidecar.pid()), "environ")));
        assertThat(Files.readString(sidecarEnvironment, StandardCharsets.ISO_8859_1)).contains("AWS_ENDPOINT_URL");
        // serve runs in a second JVM (C1Jvm): the JVM that holds the runtime is killed outright, not stopped by its launcher
        killRuntimeJvm(first, Duration.ofSeconds(20));
        // the sidecar goes with the JVM that started it, even one killed outright
        assertThat(sidecar.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get()).as("the sidecar outlived serve").isNotNull();
        assertThat(sidecar.isAlive()).isFalse();

        Path secondLog = dir.resolve("serve-2.log");
        Process second = serve(data, apiPort, scenarioUrl, dir.resolve("endpoints-2.json"), secondLog);
        JsonNode again = jar.awaitEndpoints(second, dir.resolve("endpoints-2.json"), secondLog);
        assertThat(again.path("apiKey").asText()).as("the API key is kept in the data dir").isEqualTo(apiKey);
        assertThat(again.path("httpApi").asText()).isEqualTo(endpoints.path("httpApi").asText());
        assertThat(Files.readString(secondLog)).contains("Resumed").contains(jobId);

        JsonNode job = jar.awaitEnded(again.path("httpApi").asText(), apiKey, jobId, second, secondLog);
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
        return jar.start(log, true, "serve", "--data-dir", data.toString(), "--port", Integer.toString(port),
                "--scenario-url", scenarioUrl, "--endpoints-file", endpoints.toString());
    }
}
