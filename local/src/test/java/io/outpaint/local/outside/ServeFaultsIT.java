package io.outpaint.local.outside;

import static io.outpaint.local.outside.JarProcesses.JSON;
import static io.outpaint.local.outside.JarProcesses.call;
import static io.outpaint.local.outside.JarProcesses.json;
import static io.outpaint.local.outside.JarProcesses.sidecar;
import static io.outpaint.local.outside.JarProcesses.sidecars;
import static io.outpaint.local.outside.JarProcesses.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar: {@code serve --data-dir} under faults. A client whose
 * first answer was lost retries with the same Idempotency-Key and gets an upload URL again; the
 * Step Functions sidecar is killed outright while that job runs, serve names it at once, starts it
 * again, and the job ends SUCCEEDED; the data dir is private to the user. A data dir whose table
 * file, objects or key is damaged is refused with one line naming the file.
 */
class ServeFaultsIT {

    @TempDir Path dir;
    @RegisterExtension final JarProcesses jar = new JarProcesses(Duration.ofSeconds(180), Duration.ofSeconds(30));

    @Test
    void aRetriedUploadJobGetsItsUrlAgainAndAKilledSidecarIsNamedStartedAgainAndTheJobSucceeds() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("serve.log");
        Process serve = serve(data, dir.resolve("endpoints.json"), log, "--job-seconds", "15");
        JsonNode endpoints = jar.awaitEndpoints(serve, dir.resolve("endpoints.json"), log);
        String api = endpoints.path("httpApi").asText();
        String apiKey = endpoints.path("apiKey").asText();

        String body = "{\"video\":{\"upload\":{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}},"
                + "\"request\":{\"prompt\":\"a wider street\",\"resolution\":\"480p\"}}";
        HttpResponse<String> first = call("POST", api + "/jobs", apiKey, body, "Idempotency-Key", "retry-after-a-lost-answer");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        // the first answer is lost: the client sends the same request again, and gets what the first said
        HttpResponse<String> again = call("POST", api + "/jobs", apiKey, body, "Idempotency-Key", "retry-after-a-lost-answer");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        JsonNode retried = JSON.readTree(again.body());
        String jobId = retried.path("jobId").asText();
        assertThat(jobId).isEqualTo(JSON.readTree(first.body()).path("jobId").asText());
        assertThat(retried.path("status").asText()).isEqualTo("QUEUED");
        String url = retried.path("upload").path("url").asText();
        assertThat(URI.create(url).getPath()).isEqualTo("/outpaint-local/inputs/" + jobId + "/clip.mp4");

        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        upload(url, video);

        jar.awaitTrue(() -> List.of("SUBMITTED", "RUNNING").contains(json("GET", api + "/jobs/" + jobId, apiKey, null).path("status").asText()), serve, log,
                "Scenario to run the job");
        ProcessHandle sidecar = sidecar(serve);
        sidecar.destroyForcibly(); // kill -9
        assertThat(sidecar.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get()).isNotNull();

        jar.awaitTrue(() -> Files.readString(log).contains("the Step Functions sidecar is back"), serve, log, "serve to start the sidecar again");
        Matcher died = Pattern.compile("outpaint serve: the Step Functions sidecar died \\(node, pid " + sidecar.pid()
                + ", exit code 137\\); starting it again on port (\\d+)").matcher(Files.readString(log));
        assertThat(died.find()).as(Files.readString(log)).isTrue();
        assertThat("http://127.0.0.1:" + died.group(1)).isEqualTo(endpoints.path("stepFunctions").asText());
        // the execution died with the sidecar: the sweep resumed the job in a new one
        assertThat(Files.readString(log)).containsPattern("outpaint serve: the Step Functions sidecar is back on port " + died.group(1)
                + " \\(\\d+\\.\\d s\\); resumed 1 job\\(s\\): " + jobId);
        assertThat(sidecars(serve)).hasSize(1).noneMatch(p -> p.pid() == sidecar.pid());

        JsonNode done = jar.awaitEnded(api, apiKey, jobId, serve, log);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").get(0).path("key").asText()).isEqualTo("outputs/" + jobId + "/outpaint.mp4");
        // no longer waiting for its upload: a retry now answers the job without an upload URL
        JsonNode late = JSON.readTree(call("POST", api + "/jobs", apiKey, body, "Idempotency-Key", "retry-after-a-lost-answer").body());
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
        jar.awaitEndpoints(serve, dir.resolve("endpoints.json"), log);
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String startOver = ": put %s back from a copy, or move the folder away to start over (its jobs are then forgotten)";
        Path deleted = damaged(data, "table-deleted", d -> Files.delete(d.resolve("dynamodb/shared-local-instance.db")));
        Path truncated = damaged(data, "table-truncated", d -> {
            Path table = d.resolve("dynamodb/shared-local-instance.db");
            Files.write(table, java.util.Arrays.copyOf(Files.readAllBytes(table), (int) Files.size(table) - 700));
        });
        Path objects = damaged(data, "s3-deleted", d -> io.outpaint.local.Folders.deleteTree(d.resolve("s3")));
        Path key = damaged(data, "api-key-folder", d -> {
            Files.delete(d.resolve("api-key"));
            Files.createDirectory(d.resolve("api-key"));
        });
        // each copy refused by a serve of its own, the four started side by side
        java.util.Map<Path, Process> refusing = new java.util.LinkedHashMap<>();
        for (Path copy : List.of(deleted, truncated, objects, key)) {
            refusing.put(copy, serve(copy, dir.resolve(copy.getFileName() + ".json"), dir.resolve(copy.getFileName() + ".log")));
        }
        assertThat(refusal(deleted, refusing.get(deleted))).isEqualTo("outpaint serve: the table file " + deleted.resolve("dynamodb/shared-local-instance.db")
                + " is missing, though this data dir kept jobs (their videos are in " + deleted.resolve("s3/outpaint-local") + ")"
                + String.format(startOver, "the file") + " (--debug shows more)");
        assertThat(refusal(truncated, refusing.get(truncated))).startsWith("outpaint serve: the table file " + truncated.resolve("dynamodb/shared-local-instance.db")
                + " is damaged (it is ").contains("it was cut short)" + String.format(startOver, "it"));
        assertThat(refusal(objects, refusing.get(objects))).isEqualTo("outpaint serve: the objects' folder " + objects.resolve("s3/outpaint-local")
                + " is missing, though the table file lists jobs whose videos and results were there" + String.format(startOver, "it")
                + " (--debug shows more)");
        assertThat(refusal(key, refusing.get(key))).isEqualTo("outpaint serve: " + key.resolve("api-key") + " is a folder where the runtime keeps its"
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

    /** What {@code serve}, started on {@code data}, says when it refuses it: its last line; it must exit 1 without starting. */
    private String refusal(Path data, Process serve) throws Exception {
        Path log = dir.resolve(data.getFileName() + ".log");
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
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", data.toString(), "--endpoints-file", endpoints.toString()));
        args.addAll(List.of(more));
        return jar.start(log, false, args.toArray(String[]::new));
    }
}
