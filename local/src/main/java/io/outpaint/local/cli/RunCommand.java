package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.local.DataDir;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.LocalSite;
import io.outpaint.local.ScenarioAccount;
import io.outpaint.media.InvalidInputException;
import io.outpaint.media.VideoProbe;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.simulator.video.Mp4Video;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Outpaints a video on this machine: starts the local runtime, runs the job through the real "
                + "state machine and functions against Scenario's API (when SCENARIO_API_KEY and SCENARIO_API_SECRET are "
                + "set) or its simulator, and saves the result.%n"
                + "With no VIDEO it makes a sample video itself (nothing is downloaded). "
                + "The simulator's result is a placeholder built from your video, not the model's output.")
final class RunCommand implements Callable<Integer> {

    static final String SAMPLE_PROMPT = "a sunny seaside street, wide shot";
    static final String DEFAULT_PROMPT = "a natural, seamless continuation of the scene";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "VIDEO", description = "An MP4 or WebM video (default: a sample it makes).")
    Path video;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE|FOLDER",
            description = "Where to save the result: a file, or a folder (one that exists, or any ending in /) "
                    + "(default: ./outpaint-results/outpaint-<jobId>.mp4); its folder is created.")
    String output;

    @Option(names = "--force", description = "Replace the file -o names if it exists (without it, that is refused).")
    boolean force;

    @picocli.CommandLine.Mixin
    BudgetFlags budget = new BudgetFlags();

    @Option(names = "--job-seconds", defaultValue = "8", paramLabel = "N", description = "How long the simulated Scenario job takes, 1 to 3600 (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the local runtime keeps its tables and objects "
            + "(default: this checkout's own .outpaint-local at its root; for a jar outside a checkout, ~/.outpaint/local).")
    Path dataDir;

    @Option(names = "--scenario-url", paramLabel = "URL", description = "Scenario's API when SCENARIO_API_KEY and "
            + "SCENARIO_API_SECRET are set (default: https://api.cloud.scenario.com/v1).")
    String scenarioUrl;

    @Option(names = "--timeout-seconds", defaultValue = "600", paramLabel = "N", description = "Give up waiting after this long, at least 1 (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RunCommand());
        ModelFlags.addTo(cl.getCommandSpec());
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        var out = Outpaint.out;
        // everything is checked before anything starts
        OutpaintRequest request = ModelFlags.checked(spec, video == null ? SAMPLE_PROMPT : DEFAULT_PROMPT);
        if (jobSeconds < 1 || jobSeconds > 3600) {
            throw usage("--job-seconds " + jobSeconds + " is not allowed; allowed: 1 to 3600");
        }
        if (timeoutSeconds < 1) {
            throw usage("--timeout-seconds " + timeoutSeconds + " is not allowed; allowed: 1 or more");
        }
        LocalPipeline.Settings settings = budget.applyTo(LocalPipeline.Settings.interactive().withJobDuration(Duration.ofSeconds(jobSeconds)), spec);
        if (dataDir != null) {
            DataDir.refusal(dataDir).ifPresent(line -> {
                throw usage(line);
            });
        }
        VideoProbe.Video probed = video == null ? null : probe(video);
        LocalSite site;
        try {
            site = new LocalSite(ScenarioAccount.fromEnvironment(System.getenv(), Optional.ofNullable(scenarioUrl)),
                    Optional.of(dataDir != null ? dataDir : DataDir.defaultLocation()), 0);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ResultFile result = ResultFile.forOption(spec.commandLine(), output, force);
        Path sampleDir = null;
        CompletableFuture<Void> sampleMade = CompletableFuture.completedFuture(null);
        FunctionLogs logs = FunctionLogs.toTempFile("run");
        boolean succeeded = false;
        // Ctrl-C or a kill: no job yet, or where the job is kept and how to follow it; the log, when it holds anything
        stop = new StopNotice("run", () -> "no job was created" + logLine(logs));
        try {
            Path input = video;
            if (input == null) {
                sampleDir = Files.createTempDirectory("outpaint-sample-");
                input = sampleDir.resolve("sample.mp4");
                Path sample = input;
                // made while the runtime starts
                sampleMade = CompletableFuture.runAsync(() -> {
                    try {
                        Mp4Video.write(sample, 640, 360, 48, 16, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            out.println("Starting the local runtime (DynamoDB Local, S3Mock, Step Functions, Lambda"
                    + (site.scenario().isPresent() ? ")..." : ", Scenario simulator)..."));
            long started = System.nanoTime();
            LocalPipeline up;
            try {
                up = LocalPipeline.start(settings, site,
                        part -> out.println("  " + part));
            } catch (DataDir.InUseException e) {
                throw usage("--data-dir: " + e.getMessage());
            }
            try (LocalPipeline pipeline = up) {
                out.printf("Local runtime up in %.1f s.%n", (System.nanoTime() - started) / 1e9);
                if (video == null) {
                    sampleMade.join();
                    probed = VideoProbe.probe(input);
                    out.println("No video given: made a 640x360 sample video.");
                }
                out.println("Scenario: " + pipeline.scenarioDescription());
                out.println("Data: kept in " + pipeline.dataDir().orElseThrow() + " (--data-dir to choose another; delete it to start over)");
                pipeline.repairs().forEach(line -> out.println("Repaired: " + line));
                if (!pipeline.resumed().isEmpty()) {
                    out.println("Resumed " + pipeline.resumed().size() + " unfinished job(s) from an earlier run: "
                            + String.join(", ", pipeline.resumed()));
                }
                succeeded = runJob(pipeline, input, probed, request, result, logs);
                return succeeded ? 0 : 1;
            }
        } finally {
            try {
                sampleMade.join(); // not removed while it is still being written
            } catch (RuntimeException e) {
                // its failure was reported where it mattered, or the run stopped before
            }
            io.outpaint.local.Folders.deleteTree(sampleDir);
            stop.close();
            logs.close(succeeded, out);
        }
    }

    /** Set up for the run's length: what Ctrl-C or a kill prints. */
    private StopNotice stop;

    /** "; the functions' logs: FILE" when the log holds anything, else nothing. */
    private static String logLine(FunctionLogs logs) {
        return logs.hasLines() ? "; the functions' logs: " + logs.file() : "";
    }

    private boolean runJob(LocalPipeline pipeline, Path input, VideoProbe.Video probed, OutpaintRequest request,
                           ResultFile result, FunctionLogs logs) throws Exception {
        var out = Outpaint.out;
        // through the HTTP API, as any client: ask for an upload URL, PUT the video, follow the job
        ApiClient api = new ApiClient(pipeline.httpApi().url(), pipeline.httpApi().apiKey(), null);
        String type = probed.container().mediaType();
        String base = input.getFileName().toString().replaceAll("\\.[A-Za-z0-9]{1,5}$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        String name = (base.isEmpty() ? "video" : base) + "." + probed.container().extension();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode source = body.putObject("video");
        source.putObject("upload").put("fileName", name).put("contentType", type);
        String given = input.getFileName().toString();
        if (video != null && given.length() <= 200 && given.codePoints().noneMatch(Character::isISOControl)) {
            source.put("name", given); // as the user knows it: what lists show
        }
        body.set("request", request.toJson());
        ApiClient.Answer created = api.post("/jobs", body, Map.of());
        if (!created.ok()) {
            return ClientCommands.print(created) == 0;
        }
        String jobId = created.body().path("jobId").asText();
        JsonNode upload = created.body().path("upload");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofFile(input)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() / 100 != 2) {
            throw new CommandFailure("the upload was refused (HTTP " + put.statusCode() + ")");
        }
        out.println("Job " + jobId + " created through the HTTP API; video uploaded to s3://" + LocalPipeline.BUCKET + "/"
                + created.body().path("input").path("key").asText());
        out.println("Console (while this runs): " + pipeline.httpApi().consoleUrl() + "#/jobs/" + jobId);
        String kept = "it is kept in " + pipeline.dataDir().orElseThrow() + ": 'outpaint serve --data-dir " + pipeline.dataDir().orElseThrow()
                + "' resumes it, then 'outpaint wait " + jobId + "' follows it";
        stop.say(() -> "job " + jobId + " stops with this runtime and goes on when resumed: " + kept + logLine(logs));
        JsonNode job = new JobFollower(api, out).follow(jobId, timeoutSeconds, kept);
        // stopped while the result downloads: the job is done, its result kept
        stop.say(() -> "job " + jobId + " had ended " + job.path("status").asText() + " and is kept in " + pipeline.dataDir().orElseThrow()
                + ": 'outpaint serve --data-dir " + pipeline.dataDir().orElseThrow() + "', then 'outpaint get " + jobId
                + "' downloads its result" + logLine(logs));
        if (!job.path("status").asText().equals("SUCCEEDED")) {
            Outpaint.err.println("outpaint run: " + JobFollower.ending(job));
            return false;
        }
        JsonNode output = job.path("outputs").get(0);
        Path saved = result.save(HTTP, URI.create(output.path("url").asText()), jobId, output.path("bytes").asLong(-1),
                output.path("sha256").asText(""));
        out.println();
        out.println("Done: " + saved.toAbsolutePath());
        out.printf("  %dx%d, %d bytes, sha256 %s%n", output.path("width").asInt(), output.path("height").asInt(),
                output.path("bytes").asLong(), output.path("sha256").asText());
        out.println("  in the bucket: s3://" + output.path("bucket").asText() + "/" + output.path("key").asText());
        JsonNode finish = job.path("finish");
        if (finish.isObject()) {
            // the file saved is the finished one: say so, and where the generation as the model made it is
            out.printf(java.util.Locale.ROOT, "  finished: %s fps, %d frames, %.3f s, sound %s; the raw generation: s3://%s/%s%n", finish.path("fps").asText(),
                    finish.path("frames").asLong(), finish.path("durationSeconds").asDouble(), finish.path("audio").path("handling").asText(),
                    output.path("bucket").asText(), finish.path("raw").asText());
        }
        out.println("  job id: " + jobId);
        if (pipeline.usesSimulator()) {
            out.println("  made by the Scenario simulator: your video's frame in the middle, mirrored edges around it, marked"
                    + " \"simulated\"; with SCENARIO_API_KEY and SCENARIO_API_SECRET set, run uses the real model");
        }
        return true;
    }

    private VideoProbe.Video probe(Path file) {
        if (!Files.isRegularFile(file)) {
            throw usage("VIDEO: no such file " + file);
        }
        try {
            return VideoProbe.probe(file);
        } catch (InvalidInputException e) {
            throw usage("VIDEO: " + e.getMessage() + "; allowed: an MP4 or WebM video");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

}
