package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside: the packaged {@code outpaint.jar serve} in its own process, driven by the AWS CLI
 * alone, with the sample execution input of {@code events/start-execution.json} as it is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeWithAwsCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Process serve;
    private static JsonNode endpoints;
    private static Map<String, String> env;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(commandWorks("aws", "--version"), "the AWS CLI is not installed (.ci/run installs it)");
        Path endpointsFile = dir.resolve("endpoints.json");
        serve = new ProcessBuilder("java", "-jar", "target/outpaint.jar", "serve", "--job-seconds", "3",
                "--endpoints-file", endpointsFile.toString())
                .redirectOutput(dir.resolve("serve.log").toFile()).redirectError(dir.resolve("serve.err").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (!Files.exists(endpointsFile)) {
            assertThat(serve.isAlive()).as("serve exited: " + Files.readString(dir.resolve("serve.log"))
                    + Files.readString(dir.resolve("serve.err"))).isTrue();
            assertThat(Instant.now()).as("serve did not come up in 120 s").isBefore(deadline);
            Thread.sleep(200);
        }
        endpoints = JSON.readTree(endpointsFile.toFile());
        Path config = dir.resolve("aws-config");
        Files.writeString(config, "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n");
        env = new HashMap<>();
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    private static String aws(String endpoint, String... args) throws Exception {
        String out = awsAllowingFailure(endpoint, args);
        assertThat(out).as("aws " + String.join(" ", args) + " failed").isNotNull();
        return out;
    }

    @Test
    void theAwsCliAloneRunsAJobToSucceededAndTheOutputIsAnMp4() throws Exception {
        Path video = dir.resolve("sample.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        // the key events/start-execution.json names
        aws("s3", "s3", "cp", video.toString(), "s3://outpaint-local/inputs/sample.mp4", "--content-type", "video/mp4");
        assertThat(aws("s3", "s3", "ls", "s3://outpaint-local/inputs/")).contains("sample.mp4");
        assertThat(aws("dynamodb", "dynamodb", "list-tables")).contains("outpaint-jobs");

        JsonNode machines = JSON.readTree(aws("stepFunctions", "stepfunctions", "list-state-machines"));
        assertThat(machines.path("stateMachines").get(0).path("name").asText()).isEqualTo("outpaint");
        String machineArn = machines.path("stateMachines").get(0).path("stateMachineArn").asText();

        String name = "cli-" + UUID.randomUUID();
        Path input = Path.of("..", "events", "start-execution.json");
        String executionArn = JSON.readTree(aws("stepFunctions", "stepfunctions", "start-execution",
                "--state-machine-arn", machineArn, "--name", name, "--input", "file://" + input.toAbsolutePath()))
                .path("executionArn").asText();

        awaitSucceededThrough(name, executionArn);

        // the finished video, its poster and the generation as the model made it (raw.mp4, whose geometry is the event's)
        String listing = aws("s3", "s3", "ls", "s3://outpaint-local/outputs/" + name + "/");
        assertThat(listing).contains("outpaint.mp4", "poster.jpg", "raw.mp4");
        Path result = dir.resolve("result.mp4");
        aws("s3", "s3", "cp", "s3://outpaint-local/outputs/" + name + "/raw.mp4", result.toString());
        // 320x240, every side at 0.25: 480x360, at 480p: 640x480; 81 frames at 16 fps as the event asks
        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(640, 480, 81, 16));
        if (commandWorks("ffprobe", "-version")) {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                    "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", result.toString()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes()).trim()).isEqualTo("h264,640,480,81");
        }
    }

    /**
     * Follows the job's record (as docs/local.md tells a user to) until it ends, then checks the path:
     * it SUCCEEDED through CopyResults, either in the execution started by hand, or, when every slot
     * was taken, in the dispatcher's next execution after the one by hand handed it to the queue.
     */
    private static void awaitSucceededThrough(String jobId, String startedByHand) throws Exception {
        String key = "{\"jobId\": {\"S\": \"" + jobId + "\"}}";
        JsonNode item = null;
        Instant deadline = Instant.now().plusSeconds(240);
        while (Instant.now().isBefore(deadline)) {
            item = JSON.readTree(aws("dynamodb", "dynamodb", "get-item", "--table-name", endpoints.path("table").asText(),
                    "--key", key)).path("Item");
            if (List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED").contains(item.path("status").path("S").asText())) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(item.path("status").path("S").asText()).as(String.valueOf(item)).isEqualTo("SUCCEEDED");
        String ranIn = JSON.readTree(item.path("document").path("S").asText()).path("executionArn").asText();
        JsonNode byHand = JSON.readTree(aws("stepFunctions", "stepfunctions", "describe-execution", "--execution-arn", startedByHand));
        assertThat(byHand.path("status").asText()).as(byHand.toString()).isEqualTo("SUCCEEDED");
        if (!ranIn.equals(startedByHand)) {
            assertThat(ranIn).isEqualTo(startedByHand + "-r2");
            assertThat(JSON.readTree(byHand.path("output").asText()).path("outcome").asText()).isEqualTo("WAITING_FOR_SLOT");
            JsonNode ran = JSON.readTree(aws("stepFunctions", "stepfunctions", "describe-execution", "--execution-arn", ranIn));
            assertThat(ran.path("status").asText()).as(ran.toString()).isEqualTo("SUCCEEDED");
        }
        String history = aws("stepFunctions", "stepfunctions", "get-execution-history", "--execution-arn", ranIn);
        assertThat(history).contains("\"name\": \"CopyResults\"").contains("\"name\": \"Done\"");
    }

    @Test
    void aVideoCopiedIntoInputsWithMetadataBecomesAJobThatSucceeds() throws Exception {
        Path video = dir.resolve("meta.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        aws("s3", "s3", "cp", video.toString(), "s3://outpaint-local/inputs/cli-meta/clip.mp4", "--content-type", "video/mp4",
                "--metadata", "prompt=a wider street,resolution=480p,num-frames=97");
        String version = JSON.readTree(aws("s3", "s3api", "head-object", "--bucket", "outpaint-local", "--key", "inputs/cli-meta/clip.mp4"))
                .path("VersionId").asText();
        String jobId = io.outpaint.pipeline.UploadTrigger.jobIdFor("outpaint-local", "inputs/cli-meta/clip.mp4", version);
        String executionArn = endpoints.path("stateMachineArn").asText().replace(":stateMachine:", ":execution:") + ":" + jobId;
        JsonNode described = null;
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            String out = awsAllowingFailure("stepFunctions", "stepfunctions", "describe-execution", "--execution-arn", executionArn);
            if (out != null) {
                described = JSON.readTree(out);
                if (!described.path("status").asText().equals("RUNNING")) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        assertThat(described).isNotNull();
        assertThat(described.path("status").asText()).as(described.toString()).isEqualTo("SUCCEEDED");
        assertThat(aws("s3", "s3", "ls", "s3://outpaint-local/outputs/" + jobId + "/")).contains(".mp4");
    }

    /**
     * docs/local.md's {@code s3 cp} of a 64 MiB video: the CLI sends it in 8 MiB parts, each with the CRC32 it computes by
     * default in a header, and names each part's checksum when it completes the upload; the video then runs as a job.
     * The other checksums the CLI offers complete too (CRC32C where the CLI has the CRT it needs for it).
     */
    @Test
    void theCliUploadsA64MibVideoInPartsWithItsDefaultChecksumsAndItsJobRuns() throws Exception {
        Path video = dir.resolve("big.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        padWithFreeBox(video, 64L * 1024 * 1024);
        aws("s3", "s3", "cp", video.toString(), "s3://outpaint-local/inputs/big/clip.mp4");
        JsonNode head = JSON.readTree(aws("s3", "s3api", "head-object", "--bucket", "outpaint-local", "--key", "inputs/big/clip.mp4",
                "--checksum-mode", "ENABLED"));
        assertThat(head.path("ContentLength").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(head.path("ETag").asText()).as("a multipart upload of 8 parts").endsWith("-8\"");
        assertThat(head.path("ChecksumCRC32").asText()).as(head.toString()).isNotBlank();
        Path back = dir.resolve("big-back.mp4");
        aws("s3", "s3", "cp", "s3://outpaint-local/inputs/big/clip.mp4", back.toString());
        assertThat(Files.mismatch(video, back)).as("the same bytes back").isEqualTo(-1);

        String jobId = io.outpaint.pipeline.UploadTrigger.jobIdFor("outpaint-local", "inputs/big/clip.mp4", head.path("VersionId").asText());
        JsonNode item = null;
        Instant deadline = Instant.now().plusSeconds(240);
        while (Instant.now().isBefore(deadline)) {
            item = JSON.readTree(aws("dynamodb", "dynamodb", "get-item", "--table-name", endpoints.path("table").asText(),
                    "--key", "{\"jobId\": {\"S\": \"" + jobId + "\"}}")).path("Item");
            if (List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED").contains(item.path("status").path("S").asText())) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(item.path("status").path("S").asText()).as(String.valueOf(item)).isEqualTo("SUCCEEDED");

        Path parts = dir.resolve("parts.bin");
        byte[] block = new byte[1024 * 1024];
        new java.util.Random(31).nextBytes(block);
        try (var out = Files.newOutputStream(parts)) {
            for (int i = 0; i < 17; i++) {
                out.write(block);
            }
        }
        for (String algorithm : List.of("CRC32", "SHA256", "SHA1", "CRC32C")) {
            String key = "checksums/" + algorithm + ".bin";
            List<String> command = List.of("s3", "cp", parts.toString(), "s3://outpaint-local/" + key, "--checksum-algorithm", algorithm);
            List<String> full = new ArrayList<>(List.of("aws", "--endpoint-url", endpoints.path("s3").asText()));
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            if (p.exitValue() != 0 && algorithm.equals("CRC32C") && out.contains("Missing Dependency")) {
                System.err.println("CRC32C left out: this AWS CLI lacks the CRT it computes CRC32C with (" + out.trim() + ")");
                continue;
            }
            assertThat(p.exitValue()).as("aws s3 cp --checksum-algorithm " + algorithm + ": " + out).isZero();
            JsonNode stored = JSON.readTree(aws("s3", "s3api", "head-object", "--bucket", "outpaint-local", "--key", key));
            assertThat(stored.path("ContentLength").asLong()).isEqualTo(Files.size(parts));
        }
    }

    /** Makes {@code file} (an MP4) {@code size} bytes long with a trailing 'free' box, which readers skip. */
    private static void padWithFreeBox(Path file, long size) throws IOException {
        long pad = size - Files.size(file);
        try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)))) {
            out.writeInt((int) pad);
            out.writeBytes("free");
            byte[] zeros = new byte[64 * 1024];
            for (long left = pad - 8; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
    }

    @Test
    void curlCreatesReadsListsAndCancelsJobs() throws Exception {
        String api = endpoints.path("httpApi").asText();
        String key = "x-api-key: " + endpoints.path("apiKey").asText();
        Path video = dir.resolve("api.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        aws("s3", "s3", "cp", video.toString(), "s3://outpaint-local/inputs/curl/api.mp4", "--content-type", "video/mp4");

        JsonNode created = JSON.readTree(curl("-X", "POST", "-H", key, "-H", "content-type: application/json", api + "/jobs",
                "-d", "{\"video\":{\"key\":\"inputs/curl/api.mp4\"},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}"));
        String jobId = created.path("jobId").asText();
        // recorded in the queue and dispatched at once: the answer shows where it got to
        assertThat(created.path("status").asText()).isIn("WAITING_FOR_SLOT", "ADMITTED", "UPLOADING", "SUBMITTING", "SUBMITTED", "RUNNING");
        JsonNode read = JSON.readTree(curl("-H", key, api + "/jobs/" + jobId));
        assertThat(read.path("jobId").asText()).isEqualTo(jobId);
        assertThat(read.path("request").path("resolution").asText()).isEqualTo("480p");
        JsonNode listed = JSON.readTree(curl("-H", key, api + "/jobs?limit=5"));
        assertThat(listed.path("jobs").findValuesAsText("jobId")).contains(jobId);

        JsonNode second = JSON.readTree(curl("-X", "POST", "-H", key, "-H", "content-type: application/json", api + "/jobs",
                "-d", "{\"video\":{\"key\":\"inputs/curl/api.mp4\"},\"request\":{\"prompt\":\"cancel me\"}}"));
        JsonNode canceled = JSON.readTree(curl("-X", "POST", "-H", key, api + "/jobs/" + second.path("jobId").asText() + "/cancel"));
        assertThat(canceled.path("status").asText()).isEqualTo("CANCELED");
        assertThat(curl("-H", key, api + "/jobs/no-such-job")).contains("\"code\":\"NOT_FOUND\"");
    }

    @Test
    void theCliClientCommandsTalkToTheRunningApi() throws Exception {
        Path video = dir.resolve("client.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        aws("s3", "s3", "cp", video.toString(), "s3://outpaint-local/inputs/client/clip.mp4", "--content-type", "video/mp4");
        String[] endpoint = {"--endpoint", endpoints.path("httpApi").asText(), "--api-key", endpoints.path("apiKey").asText()};

        JsonNode submitted = JSON.readTree(outpaint(0, concat(new String[] {"submit", "inputs/client/clip.mp4", "--prompt", "p",
                "--resolution", "480p"}, endpoint)));
        String jobId = submitted.path("jobId").asText();
        assertThat(jobId).startsWith("api-");
        assertThat(JSON.readTree(outpaint(0, concat(new String[] {"status", jobId, "--json"}, endpoint))).path("jobId").asText()).isEqualTo(jobId);
        assertThat(outpaint(0, concat(new String[] {"list", "--limit", "50"}, endpoint))).contains(jobId);
        assertThat(JSON.readTree(outpaint(0, concat(new String[] {"estimate", "inputs/client/clip.mp4", "--prompt", "p", "--json"}, endpoint)))
                .path("creativeUnits").asInt()).isPositive();
        assertThat(outpaint(1, concat(new String[] {"status", "api-not-a-job"}, endpoint))).contains("outpaint status: no job api-not-a-job (HTTP 404 NOT_FOUND)");
        assertThat(outpaint(2, concat(new String[] {"submit", "inputs/client/clip.mp4", "--prompt", "p", "--num-frames", "7"}, endpoint)))
                .contains("--num-frames \"7\" is not allowed; allowed: an integer from 81 to 241");


        // a local file: uploaded first, then followed to its end with the progress bar
        Path local = dir.resolve("local-client.mp4");
        Mp4Video.write(local, 320, 240, 16, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        String waited = outpaint(0, concat(new String[] {"submit", local.toString(), "--prompt", "p", "--resolution", "480p", "--wait"}, endpoint));
        java.util.regex.Matcher created = java.util.regex.Pattern.compile("Job (api-[0-9a-f-]+) created; following it").matcher(waited);
        assertThat(created.find()).as(waited).isTrue();
        String localJob = created.group(1);
        assertThat(waited).containsPattern("(?m)^\\[#+\\] 100%  SUCCEEDED$")
                .containsPattern("(?m)^\\[[.#]+\\] +\\d+%  (QUEUED|WAITING_FOR_SLOT|ADMITTED|UPLOADING|SUBMITTING|SUBMITTED|RUNNING|COPYING)")
                .contains("Job " + localJob + " SUCCEEDED; 'outpaint get " + localJob + "' downloads the result");
        JsonNode record = JSON.readTree(outpaint(0, concat(new String[] {"status", localJob, "--json"}, endpoint)));
        assertThat(record.path("input").path("key").asText()).isEqualTo("inputs/" + localJob + "/local-client.mp4");
        JsonNode output = record.path("outputs").path(0);

        // get -o FILE: exactly the bytes status reports
        Path saved = dir.resolve("got/result.mp4");
        assertThat(outpaint(0, concat(new String[] {"get", localJob, "-o", saved.toString()}, endpoint)))
                .contains("Saved " + saved.toAbsolutePath());
        byte[] bytes = Files.readAllBytes(saved);
        assertThat((long) bytes.length).isEqualTo(output.path("bytes").asLong());
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)))
                .isEqualTo(output.path("sha256").asText());
        assertThat(Mp4Video.probe(saved).width()).isEqualTo(output.path("width").asInt());

        // wait -o: the file get saved is not replaced without --force; a new one is, the same bytes
        assertThat(outpaint(2, concat(new String[] {"wait", localJob, "-o", saved.toString()}, endpoint)))
                .startsWith("outpaint wait: " + saved + " exists; add --force to replace it");
        Path waitedFor = dir.resolve("waited/result.mp4");
        assertThat(outpaint(0, concat(new String[] {"wait", localJob, "-o", waitedFor.toString()}, endpoint)))
                .contains("Saved " + waitedFor.toAbsolutePath());
        assertThat(Files.readAllBytes(waitedFor)).isEqualTo(bytes);

        // list: the job's line, named by its file and the start of its prompt; --json: the API's page, as JSON
        String table = outpaint(0, concat(new String[] {"list", "--limit", "50"}, endpoint));
        assertThat(table).containsPattern("(?m)^" + localJob + "\\s+SUCCEEDED\\s+100%\\s+\\d+[smhd]\\s+"
                + java.util.regex.Pattern.quote("local-client.mp4 · \"p\"") + "$");
        JsonNode page = JSON.readTree(outpaint(0, concat(new String[] {"list", "--json", "--limit", "50"}, endpoint)));
        assertThat(page.path("jobs").findValuesAsText("jobId")).contains(localJob, jobId);
    }

    /** Last, as it stops serve: its banner stays readable while jobs run, and it stops without a trace. */
    @Test
    @Order(Integer.MAX_VALUE)
    void serveStartsItsBannerWithTheConsoleKeepsJobLogsInTheFileItNamesAndStopsWithoutATrace() throws Exception {
        Path video = dir.resolve("banner.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        String waited = outpaint(0, "submit", video.toString(), "--prompt", "p", "--resolution", "480p", "--wait",
                "--endpoint", endpoints.path("httpApi").asText(), "--api-key", endpoints.path("apiKey").asText());
        java.util.regex.Matcher created = java.util.regex.Pattern.compile("Job (api-[0-9a-f-]+) created").matcher(waited);
        assertThat(created.find()).as(waited).isTrue();

        List<String> banner = Files.readAllLines(dir.resolve("serve.log"));
        assertThat(banner.get(0)).isEqualTo("outpaint console: " + endpoints.path("console").asText());
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("(?m)^  Logs {12}(\\S+\\.log) {3}\\(--verbose shows them here\\)$")
                .matcher(String.join("\n", banner));
        assertThat(named.find()).as(String.join("\n", banner)).isTrue();
        Path logFile = Path.of(named.group(1));
        // the job ran: its lines are in the file, none in the banner
        assertThat(banner).noneMatch(line -> line.contains(" INFO ") || line.contains(created.group(1)));
        assertThat(Files.readString(logFile)).contains(" INFO ").contains("CopyResults: copied")
                .contains("[" + created.group(1));
        // stderr holds the start's progress only: one line, then each emulator as it came up
        assertThat(Files.readAllLines(dir.resolve("serve.err"))).hasSize(4).first().isEqualTo("Starting the local runtime...");
        assertThat(Files.readAllLines(dir.resolve("serve.err")).subList(1, 4))
                .allMatch(line -> line.matches("  (Step Functions|DynamoDB Local|S3Mock) up \\(\\d+\\.\\d s\\)"));

        // serve runs in a second JVM (C1Jvm), which runs the sidecar: every one of them ends, not only the launcher
        List<ProcessHandle> underServe = serve.toHandle().descendants().toList();
        assertThat(underServe).as("serve's runtime JVM and its sidecar").anyMatch(p -> p.info().command().orElse("").endsWith("/java"))
                .anyMatch(p -> p.info().command().orElse("").contains("node"));
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        for (ProcessHandle part : underServe) {
            assertThat(part.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).get()).as("still running: " + part.info()).isNotNull();
        }
        assertThat(serve.exitValue()).as("SIGTERM's exit code").isEqualTo(143);
        for (Path printed : List.of(dir.resolve("serve.log"), dir.resolve("serve.err"), logFile)) {
            assertThat(Files.readString(printed)).as(printed.toString())
                    .doesNotContain("\tat ").doesNotContain("closed already").doesNotContain("Exception");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String outpaint(int expectedExit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", "target/outpaint.jar"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isEqualTo(expectedExit);
        return out;
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String awsAllowingFailure(String endpoint, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoints.path(endpoint).asText(), "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            System.err.println(String.join(" ", command) + "\n" + out);
            return null;
        }
        return out;
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
