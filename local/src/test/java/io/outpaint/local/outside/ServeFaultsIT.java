package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar: {@code serve --data-dir} under faults. A client whose
 * first answer was lost retries with the same Idempotency-Key and gets an upload URL again; the
 * Step Functions sidecar is killed outright while that job runs, serve names it at once, starts it
 * again, and the job ends SUCCEEDED; the data dir is private to the user. A data dir whose table
 * file, objects or key is damaged is refused with one line naming the file.
 */
class ServeFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aRetriedUploadJobGetsItsUrlAgainAndAKilledSidecarIsNamedStartedAgainAndTheJobSucceeds() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("serve.log");
        Process serve = serve(data, dir.resolve("endpoints.json"), log, "--job-seconds", "15");
        JsonNode endpoints = awaitEndpoints(serve, dir.resolve("endpoints.json"), log);
        String api = endpoints.path("httpApi").asText();
        String apiKey = endpoints.path("apiKey").asText();

        String body = "{\"video\":{\"upload\":{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}},"
                + "\"request\":{\"prompt\":\"a wider street\",\"resolution\":\"480p\"}}";
        HttpResponse<String> first = api("POST", api + "/jobs", apiKey, body, "Idempotency-Key", "retry-after-a-lost-answer");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        // the first answer is lost: the client sends the same request again, and gets what the first said
        HttpResponse<String> again = api("POST", api + "/jobs", apiKey, body, "Idempotency-Key", "retry-after-a-lost-answer");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        JsonNode retried = JSON.readTree(again.body());
        String jobId = retried.path("jobId").asText();
        assertThat(jobId).isEqualTo(JSON.readTree(first.body()).path("jobId").asText());
        assertThat(retried.path("status").asText()).isEqualTo("QUEUED");
        String url = retried.path("upload").path("url").asText();
        assertThat(URI.create(url).getPath()).isEqualTo("/outpaint-local/inputs/" + jobId + "/clip.mp4");

        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "video/mp4")
                .PUT(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        awaitTrue(() -> List.of("SUBMITTED", "RUNNING").contains(job(api, apiKey, jobId).path("status").asText()), serve, log,
                "Scenario to run the job");
        ProcessHandle sidecar = serve.toHandle().descendants().filter(c -> c.info().command().orElse("").contains("node"))
                .findFirst().orElseThrow(() -> new AssertionError("serve runs no Step Functions sidecar"));
        sidecar.destroyForcibly(); // kill -9
        assertThat(sidecar.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get()).isNotNull();

        awaitTrue(() -> Files.readString(log).contains("the Step Functions sidecar is back"), serve, log, "serve to start the sidecar again");
        Matcher died = Pattern.compile("outpaint serve: the Step Functions sidecar died \\(node, pid " + sidecar.pid()
                + ", exit code 137\\); starting it again on port (\\d+)").matcher(Files.readString(log));
        assertThat(died.find()).as(Files.readString(log)).isTrue();
        assertThat("http://127.0.0.1:" + died.group(1)).isEqualTo(endpoints.path("stepFunctions").asText());
        // the execution died with the sidecar: the sweep resumed the job in a new one
        assertThat(Files.readString(log)).containsPattern("outpaint serve: the Step Functions sidecar is back on port " + died.group(1)
                + " \\(\\d+\\.\\d s\\); resumed 1 job\\(s\\): " + jobId);
        List<ProcessHandle> sidecars = serve.toHandle().descendants().filter(c -> c.info().command().orElse("").contains("node")).toList();
        assertThat(sidecars).hasSize(1).noneMatch(p -> p.pid() == sidecar.pid());

        JsonNode done = null;
        Instant deadline = Instant.now().plusSeconds(240);
        while (Instant.now().isBefore(deadline)) {
            done = job(api, apiKey, jobId);
            if (List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED").contains(done.path("status").asText())) {
                break;
            }
            assertThat(serve.isAlive()).as("serve exited: " + Files.readString(log)).isTrue();
            Thread.sleep(1000);
        }
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").get(0).path("key").asText()).isEqualTo("outputs/" + jobId + "/outpaint.mp4");
        // no longer waiting for its upload: a retry now answers the job without an upload URL
        JsonNode late = JSON.readTree(api("POST", api + "/jobs", apiKey, body, "Idempotency-Key", "retry-after-a-lost-answer").body());
        assertThat(late.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(late.has("upload")).isFalse();

        // private to the user: while serve runs, nothing it keeps is open to other users
        assertThat(mode(data)).isEqualTo("rwx------");
        for (String own : List.of("dynamodb", "s3")) {
            assertThat(mode(data.resolve(own))).as(own).isEqualTo("rwx------");
        }
        for (String own : List.of(".lock", "api-key", "webhook-secret", "kept", "dynamodb/shared-local-instance.db")) {
            assertThat(mode(data.resolve(own))).as(own).isEqualTo("rw-------");
        }
        // once stopped, what S3Mock wrote with its own modes is closed too
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (var all = Files.walk(data)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                assertThat(mode(p)).as(data.relativize(p).toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    @Test
    void aDataDirWhoseTableObjectsOrKeyAreDamagedIsRefusedNamingTheFile() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("serve.log");
        Process serve = serve(data, dir.resolve("endpoints.json"), log);
        awaitEndpoints(serve, dir.resolve("endpoints.json"), log);
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String startOver = ": put %s back from a copy, or move the folder away to start over (its jobs are then forgotten)";
        Path deleted = damaged(data, "table-deleted", d -> Files.delete(d.resolve("dynamodb/shared-local-instance.db")));
        assertThat(refusal(deleted)).isEqualTo("outpaint serve: the table file " + deleted.resolve("dynamodb/shared-local-instance.db")
                + " is missing, though this data dir kept jobs (their videos are in " + deleted.resolve("s3/outpaint-local") + ")"
                + String.format(startOver, "the file") + " (--debug shows more)");

        Path truncated = damaged(data, "table-truncated", d -> {
            Path table = d.resolve("dynamodb/shared-local-instance.db");
            Files.write(table, java.util.Arrays.copyOf(Files.readAllBytes(table), (int) Files.size(table) - 700));
        });
        assertThat(refusal(truncated)).startsWith("outpaint serve: the table file " + truncated.resolve("dynamodb/shared-local-instance.db")
                + " is damaged (it is ").contains("it was cut short)" + String.format(startOver, "it"));

        Path objects = damaged(data, "s3-deleted", d -> io.outpaint.local.Folders.deleteTree(d.resolve("s3")));
        assertThat(refusal(objects)).isEqualTo("outpaint serve: the objects' folder " + objects.resolve("s3/outpaint-local")
                + " is missing, though the table file lists jobs whose videos and results were there" + String.format(startOver, "it")
                + " (--debug shows more)");

        Path key = damaged(data, "api-key-folder", d -> {
            Files.delete(d.resolve("api-key"));
            Files.createDirectory(d.resolve("api-key"));
        });
        assertThat(refusal(key)).isEqualTo("outpaint serve: " + key.resolve("api-key") + " is a folder where the runtime keeps its"
                + " api key: remove it (a new one is made), or put the api key in a file there (--debug shows more)");
    }

    @FunctionalInterface
    private interface Damage {
        void to(Path data) throws Exception;
    }

    /** A copy of {@code data} with one damage done to it. */
    private Path damaged(Path data, String name, Damage damage) throws Exception {
        Path copy = dir.resolve(name);
        try (var all = Files.walk(data)) {
            for (Path from : (Iterable<Path>) all::iterator) {
                Path to = copy.resolve(data.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        damage.to(copy);
        return copy;
    }

    /** What serve says when it refuses {@code data}: its last line; it must exit 1 without starting. */
    private String refusal(Path data) throws Exception {
        Path log = dir.resolve(data.getFileName() + ".log");
        Process serve = serve(data, dir.resolve(data.getFileName() + ".json"), log);
        assertThat(serve.waitFor(120, TimeUnit.SECONDS)).as("serve started on a damaged data dir: " + Files.readString(log)).isTrue();
        assertThat(serve.exitValue()).as(Files.readString(log)).isEqualTo(1);
        assertThat(dir.resolve(data.getFileName() + ".json")).doesNotExist();
        List<String> lines = Files.readAllLines(log);
        assertThat(String.join("\n", lines)).doesNotContain("Exception").doesNotContain("\tat ");
        return lines.get(lines.size() - 1);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Process serve(Path data, Path endpoints, Path log, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", Path.of("target", "outpaint.jar").toAbsolutePath().toString(),
                "serve", "--data-dir", data.toString(), "--endpoints-file", endpoints.toString()));
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SCENARIO_API_KEY");
        builder.environment().remove("SCENARIO_API_SECRET");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static JsonNode awaitEndpoints(Process serve, Path file, Path log) throws Exception {
        awaitTrue(() -> Files.exists(file), serve, log, "serve to come up");
        return JSON.readTree(file.toFile());
    }

    private static HttpResponse<String> api(String method, String url, String apiKey, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("x-api-key", apiKey)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode job(String api, String apiKey, String jobId) throws Exception {
        return JSON.readTree(api("GET", api + "/jobs/" + jobId, apiKey, null).body());
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, Process process, Path log, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(180);
        while (!holds(check)) {
            assertThat(process.isAlive()).as("exited while waiting for " + what + ": " + Files.readString(log)).isTrue();
            assertThat(Instant.now()).as("waited 180 s for " + what + ": " + Files.readString(log)).isBefore(deadline);
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
