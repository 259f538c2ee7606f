package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.outpaint.local.DataDir;
import io.outpaint.notify.WebhookSignature;
import io.outpaint.simulator.video.Mp4Video;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in processes of its own, as a user meets it: a stop (SIGTERM, as Ctrl-C's) of
 * {@code run} and {@code wait} says the job goes on, how to follow it and where the log is; a
 * refused start leaves no log file; {@code serve} shows the secret its notices are signed with;
 * {@code estimate FILE} prices a local file; {@code list} and {@code status} show the file's name and the prompt.
 */
class CliProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    /** The jar's command line, its temporary files (logs) in {@code tmp}. */
    private ProcessBuilder outpaint(Path tmp, String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-Djava.io.tmpdir=" + tmp, "-jar",
                Path.of("target", "outpaint.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("CI", "true");
        builder.environment().remove("SCENARIO_API_KEY");
        builder.environment().remove("SCENARIO_API_SECRET");
        builder.environment().remove("OUTPAINT_ENDPOINT");
        builder.environment().remove("OUTPAINT_API_KEY");
        return builder;
    }

    /** The process's lines as they come, kept; {@link Lines#await} waits for one that matches. */
    private static final class Lines {
        final List<String> all = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> ended;

        Lines(Process process) {
            ended = CompletableFuture.runAsync(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        all.add(line);
                    }
                } catch (java.io.IOException e) {
                    all.add("(read failed: " + e + ")");
                }
            });
        }

        Matcher await(Pattern pattern, int seconds) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(seconds);
            while (Instant.now().isBefore(deadline)) {
                for (String line : all) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
                if (ended.isDone()) {
                    break;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no line matching " + pattern + " in:\n" + String.join("\n", all));
        }

        String text() {
            ended.join();
            return String.join("\n", all);
        }
    }

    private static List<Path> logsIn(Path tmp, String command) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().matches("outpaint-" + command + "-.*\\.log")).toList();
        }
    }

    @Test
    void aStoppedWaitSaysTheJobGoesOnAndHowToFollowIt() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            byte[] body = "{\"jobId\": \"api-5\", \"status\": \"RUNNING\", \"progress\": 0.4}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try {
            Process wait = outpaint(Files.createDirectories(dir.resolve("tmp")), "wait", "api-5", "--endpoint",
                    "http://127.0.0.1:" + api.getAddress().getPort(), "--api-key", "k").start();
            Lines lines = new Lines(wait);
            lines.await(Pattern.compile("RUNNING"), 60);

            // SIGTERM, as a kill sends (Ctrl-C's SIGINT runs the same hooks); through the handle, which leaves the output open to read
            wait.toHandle().destroy();

            assertThat(wait.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = lines.text();
            assertThat(wait.exitValue()).as(out).isEqualTo(143);
            assertThat(out).contains("outpaint wait: stopped; job api-5 goes on: 'outpaint wait api-5' follows it again,"
                    + " 'outpaint status api-5' shows where it stands").doesNotContain("Exception").doesNotContain("\tat ");
        } finally {
            api.stop(0);
        }
    }

    @Test
    void aStoppedRunSaysWhereItsJobIsKeptHowToResumeAndFollowItAndWhereItsLogIs() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path data = dir.resolve("data");
        Process run = outpaint(tmp, "run", "--job-seconds", "600", "--resolution", "480p", "--data-dir", data.toString()).start();
        Lines lines = new Lines(run);
        String jobId = lines.await(Pattern.compile("Job (api-[0-9a-f-]+) created"), 240).group(1);
        lines.await(Pattern.compile("RUNNING|SUBMITTED|UPLOADING|ADMITTED"), 120);

        run.toHandle().destroy();

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = lines.text();
        assertThat(run.exitValue()).as(out).isEqualTo(143);
        Matcher said = Pattern.compile("outpaint run: stopped; job " + Pattern.quote(jobId) + " stops with this runtime and goes on when resumed: "
                + "it is kept in " + Pattern.quote(data.toString()) + ": 'outpaint serve --data-dir " + Pattern.quote(data.toString())
                + "' resumes it, then 'outpaint wait " + Pattern.quote(jobId) + "' follows it; the functions' logs: (\\S+)").matcher(out);
        assertThat(said.find()).as(out).isTrue();
        Path log = Path.of(said.group(1));
        assertThat(log.getParent()).isEqualTo(tmp);
        assertThat(Files.size(log)).as("the log it names holds the functions' lines").isPositive();
        assertThat(out).doesNotContain("Exception");
    }

    @Test
    void aRefusedStartLeavesNoLogFileAndOneLine() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path data = dir.resolve("taken");
        try (DataDir held = DataDir.open(data)) {
            for (String command : List.of("run", "serve")) {
                Process refused = outpaint(tmp, command, "--data-dir", data.toString()).start();
                Lines lines = new Lines(refused);
                assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
                String out = lines.text();
                assertThat(refused.exitValue()).as(out).isEqualTo(2);
                assertThat(out).as(command).contains("outpaint " + command + ": ").contains("another outpaint runtime is using " + data.toAbsolutePath())
                        .doesNotContain("Exception").doesNotContain("logs:");
                assertThat(logsIn(tmp, command)).as(command).isEmpty();
            }
        }
    }

    @Test
    void serveShowsTheSecretItsNoticesAreSignedWithAndListAndStatusShowTheFilesNameAndPrompt() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path endpointsFile = dir.resolve("endpoints.json");
        List<String[]> notices = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            notices.add(new String[] {exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Process serve = outpaint(tmp, "serve", "--job-seconds", "2", "--endpoints-file", endpointsFile.toString()).start();
        Lines lines = new Lines(serve);
        try {
            String secret = lines.await(Pattern.compile("^  Webhooks +notices are signed with the secret (whsec-\\S+)"), 240).group(1);
            lines.await(Pattern.compile("^Ctrl-C stops it"), 30);
            JsonNode endpoints = JSON.readTree(endpointsFile.toFile());
            assertThat(endpoints.path("webhookSecret").asText()).isEqualTo(secret);
            String url = endpoints.path("httpApi").asText();
            String key = endpoints.path("apiKey").asText();

            // a job through the CLI as a user starts one: a file whose name has spaces and brackets
            Path video = dir.resolve("Street at dusk (final).mp4");
            Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
            // its cost first, from the file's shape alone
            Process estimate = outpaint(tmp, "estimate", video.toString(), "--prompt", "a tall street", "--aspect", "9:16",
                    "--resolution", "480p", "--endpoint", url, "--api-key", key).start();
            Lines estimated = new Lines(estimate);
            assertThat(estimate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(estimate.exitValue()).as(estimated.text()).isZero();
            assertThat(estimated.text()).containsPattern("^\\d+ creative units: the price of 81 frames at 480p")
                    .contains("  framing: 320x240 onto a ").contains("Nothing was started and the video was not uploaded.");
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/jobs")).header("x-api-key", key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(none.body()).path("jobs")).as("no job from an estimate").isEmpty();

            Process submit = outpaint(tmp, "submit", video.toString(), "--prompt", "a wide sunny street that goes on past the harbour",
                    "--resolution", "480p", "--webhook-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "--endpoint", url, "--api-key", key, "--wait").start();
            Lines submitted = new Lines(submit);
            assertThat(submit.waitFor(180, TimeUnit.SECONDS)).isTrue();
            String submitOut = submitted.text();
            assertThat(submit.exitValue()).as(submitOut).isZero();
            Matcher created = Pattern.compile("Job (api-[0-9a-f-]+) created").matcher(submitOut);
            assertThat(created.find()).as(submitOut).isTrue();
            String jobId = created.group(1);

            // the notice, checked with the secret the banner showed
            Instant deadline = Instant.now().plusSeconds(60);
            while (notices.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(notices).as("a notice").isNotEmpty();
            String[] notice = notices.get(0);
            assertThat(WebhookSignature.verify(secret, notice[0], notice[2], notice[1], Duration.ofMinutes(5), Instant.now())).isTrue();
            assertThat(WebhookSignature.verify("whsec-another", notice[0], notice[2], notice[1], Duration.ofMinutes(5), Instant.now())).isFalse();
            assertThat(JSON.readTree(notice[2]).path("jobId").asText()).isEqualTo(jobId);
            assertThat(JSON.readTree(notice[2]).path("input").path("name").asText()).isEqualTo("Street at dusk (final).mp4");

            // the record keeps the name as the user knows it, though its key holds only the characters a key takes
            HttpResponse<String> record = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/jobs/" + jobId)).header("x-api-key", key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(record.body()).path("input").path("name").asText()).isEqualTo("Street at dusk (final).mp4");
            assertThat(JSON.readTree(record.body()).path("input").path("key").asText()).endsWith("/Street_at_dusk__final_.mp4");

            Process list = outpaint(tmp, "list", "--endpoint", url, "--api-key", key).start();
            Lines listed = new Lines(list);
            assertThat(list.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(list.exitValue()).isZero();
            assertThat(listed.text()).containsPattern(Pattern.quote(jobId) + " +SUCCEEDED +100% +\\d+[smh]  Street at dusk \\(final\\)\\.mp4 · "
                    + "\"a wide sunny street that goes on past t…\"");

            Process status = outpaint(tmp, "status", jobId, "--endpoint", url, "--api-key", key).start();
            Lines shown = new Lines(status);
            assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(status.exitValue()).isZero();
            assertThat(shown.text()).contains("  input     Street at dusk (final).mp4").contains("  status    SUCCEEDED")
                    .containsPattern("  outputs   outputs/" + Pattern.quote(jobId) + "/outpaint\\.mp4   [0-9.]+ (kB|MB|bytes), \\d+x\\d+, [0-9.]+ s")
                    .doesNotContain("X-Amz-Signature").doesNotContain("http://");
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
            receiver.stop(0);
        }
    }
}
