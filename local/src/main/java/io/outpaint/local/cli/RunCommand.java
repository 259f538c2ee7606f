package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.local.DataDir;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.LocalSite;
import io.outpaint.local.ScenarioAccount;
import io.outpaint.request.FieldError;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Outpaints a video on this machine: starts the local runtime, runs the job through the real "
                + "state machine and functions against Scenario's API (when SCENARIO_API_KEY and SCENARIO_API_SECRET are "
                + "set) or its simulator, and saves the result.%n"
                + "With no VIDEO it makes a sample video itself (nothing is downloaded).")
final class RunCommand implements Callable<Integer> {

    static final String SAMPLE_PROMPT = "a sunny seaside street, wide shot";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "VIDEO", description = "An MP4 video (default: a sample it makes).")
    Path video;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.mp4", description = "Where to save the result (default: ./outpaint-<jobId>.mp4).")
    Path output;

    @Option(names = "--job-seconds", defaultValue = "8", description = "How long the simulated Scenario job takes (default: ${DEFAULT-VALUE}; simulator only).")
    int jobSeconds;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the local runtime keeps its tables and objects "
            + "(default: ~/.outpaint/local, or ./.outpaint-local when the home folder is not writable).")
    Path dataDir;

    @Option(names = "--scenario-url", paramLabel = "URL", description = "Scenario's API when SCENARIO_API_KEY and "
            + "SCENARIO_API_SECRET are set (default: https://api.cloud.scenario.com/v1).")
    String scenarioUrl;

    @Option(names = "--timeout-seconds", defaultValue = "600", description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    static CommandLine commandLine() {
        RunCommand command = new RunCommand();
        CommandLine cl = new CommandLine(command);
        ModelFlags.addTo(cl.getCommandSpec());
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        var out = Outpaint.out;
        OutpaintRequest request;
        try {
            request = ModelFlags.read(spec, video == null ? SAMPLE_PROMPT : null);
        } catch (InvalidRequestException e) {
            out.println("outpaint run: the model's inputs are not valid:");
            for (FieldError error : e.errors()) {
                String flag = ModelFlags.flag(error.field());
                out.println("  " + flag + (error.value() == null ? ": " + error.allowed()
                        : " " + error.value() + " is not allowed; allowed: " + error.allowed()));
            }
            return 2;
        }
        LocalSite site;
        try {
            site = new LocalSite(ScenarioAccount.fromEnvironment(System.getenv(), Optional.ofNullable(scenarioUrl)),
                    Optional.of(dataDir != null ? dataDir : DataDir.defaultLocation()), 0);
        } catch (IllegalArgumentException e) {
            out.println("outpaint run: " + e.getMessage());
            return 2;
        }
        Path input = video;
        if (input == null) {
            input = Files.createTempDirectory("outpaint-sample-").resolve("sample.mp4");
            Mp4Video.write(input, 640, 360, 48, 16, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
            out.println("No video given: made a 640x360 sample, " + input);
        } else if (!Files.isRegularFile(input)) {
            out.println("outpaint run: no such file " + input);
            return 2;
        }
        String type = input.toString().toLowerCase().endsWith(".webm") ? "video/webm" : "video/mp4";
        out.println("Starting the local runtime (DynamoDB Local, S3Mock, Step Functions, Lambda"
                + (site.scenario().isPresent() ? ")..." : ", Scenario simulator)..."));
        LocalPipeline started;
        try {
            started = LocalPipeline.start(LocalPipeline.Settings.interactive().withJobDuration(Duration.ofSeconds(jobSeconds)), site);
        } catch (DataDir.InUseException e) {
            out.println("outpaint run: " + e.getMessage());
            return 2;
        }
        try (LocalPipeline pipeline = started) {
            out.println("Scenario: " + pipeline.scenarioDescription());
            out.println("Data: kept in " + pipeline.dataDir().orElseThrow() + " (--data-dir to choose another; delete it to start over)");
            if (!pipeline.resumed().isEmpty()) {
                out.println("Resumed " + pipeline.resumed().size() + " unfinished job(s) from an earlier run: "
                        + String.join(", ", pipeline.resumed()));
            }
            // through the HTTP API, as any client: ask for an upload URL, PUT the video, follow the job
            ApiClient api = new ApiClient(pipeline.httpApi().url(), pipeline.httpApi().apiKey(), null);
            String name = input.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            if (!name.endsWith(".mp4") && !name.endsWith(".webm")) {
                name = name + ".mp4";
            }
            ObjectNode body = JSON.createObjectNode();
            body.putObject("video").putObject("upload").put("fileName", name).put("contentType", type);
            body.set("request", request.toJson());
            ApiClient.Answer created = api.post("/jobs", body, java.util.Map.of());
            if (!created.ok()) {
                return ClientCommands.print(created);
            }
            String jobId = created.body().path("jobId").asText();
            JsonNode upload = created.body().path("upload");
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                    .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofFile(input)).build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() / 100 != 2) {
                out.println("outpaint run: the upload was refused (" + put.statusCode() + ")");
                return 1;
            }
            out.println("Job " + jobId + " created through the HTTP API; video uploaded to s3://" + LocalPipeline.BUCKET + "/"
                    + created.body().path("input").path("key").asText());
            JsonNode job = follow(api, jobId);
            if (!job.path("status").asText().equals("SUCCEEDED")) {
                JsonNode error = job.path("error");
                out.println("Job " + jobId + " ended " + job.path("status").asText()
                        + (error.isMissingNode() ? "" : ": " + error.path("code").asText() + ": " + error.path("message").asText()
                        + (error.hasNonNull("hint") ? " (hint: " + error.path("hint").asText() + ")" : "")));
                logHint(out);
                return 1;
            }
            JsonNode result = job.path("outputs").get(0);
            Path target = output != null ? output : Path.of("outpaint-" + jobId + ".mp4");
            HttpResponse<Path> download = HTTP.send(HttpRequest.newBuilder(URI.create(result.path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (download.statusCode() != 200) {
                out.println("outpaint run: the result could not be downloaded (" + download.statusCode() + ")");
                return 1;
            }
            out.println();
            out.println("Done: " + target.toAbsolutePath());
            out.printf("  %dx%d, %d bytes, sha256 %s%n", result.path("width").asInt(), result.path("height").asInt(),
                    result.path("bytes").asLong(), result.path("sha256").asText());
            out.println("  in the bucket: s3://" + result.path("bucket").asText() + "/" + result.path("key").asText());
            out.println("  job id: " + jobId);
            return 0;
        }
    }

    /** Shows the job's status and Scenario's progress, as the API reports them, until it ends. */
    private JsonNode follow(ApiClient api, String jobId) throws Exception {
        ProgressBar bar = new ProgressBar(Outpaint.out, System.console() != null && System.getenv("CI") == null);
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        while (true) {
            ApiClient.Answer answer = api.get("/jobs/" + jobId);
            if (answer.ok()) {
                JsonNode job = answer.body();
                bar.show(job.path("status").asText(), job.path("progress").asDouble());
                if (Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED").contains(job.path("status").asText())) {
                    bar.done();
                    return job;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                bar.done();
                throw new IllegalStateException("job " + jobId + " did not finish within " + timeoutSeconds + " s");
            }
            Thread.sleep(250);
        }
    }

    private static void logHint(java.io.PrintStream out) {
        String log = System.getProperty("outpaint.log");
        if (log != null) {
            out.println("  the functions' logs: " + log);
        }
    }
}
