package io.outpaint.local.cli;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.request.FieldError;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Outpaints a video on this machine: starts the local runtime, runs the job through the real "
                + "state machine and functions against the Scenario simulator, and saves the result.%n"
                + "With no VIDEO it makes a sample video itself (nothing is downloaded).")
final class RunCommand implements Callable<Integer> {

    static final String SAMPLE_PROMPT = "a sunny seaside street, wide shot";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "VIDEO", description = "An MP4 video (default: a sample it makes).")
    Path video;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.mp4", description = "Where to save the result (default: ./outpaint-<jobId>.mp4).")
    Path output;

    @Option(names = "--job-seconds", defaultValue = "8", description = "How long the simulated Scenario job takes (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

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
        out.println("Starting the local runtime (DynamoDB Local, S3Mock, Step Functions, Lambda, Scenario simulator)...");
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive()
                .withJobDuration(Duration.ofSeconds(jobSeconds)))) {
            // the S3 entry point: the model's inputs as a sidecar beside the video, then the video itself
            String folder = "inputs/" + UUID.randomUUID().toString().substring(0, 8) + "/";
            String name = input.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            String key = folder + name;
            String sidecar = folder + (name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + ".json";
            Path file = input;
            String jobId;
            try (var s3 = pipeline.cloud().s3()) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(sidecar).contentType("application/json"),
                        RequestBody.fromString(request.toJson().toString()));
                String version = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType(type),
                        RequestBody.fromFile(file)).versionId();
                jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, version);
            }
            out.println("Uploaded s3://" + LocalPipeline.BUCKET + "/" + key + " (inputs in " + sidecar + "); job " + jobId);
            Job job = follow(pipeline, jobId);
            if (job.status() != JobStatus.SUCCEEDED) {
                out.println("Job " + jobId + " ended " + job.status()
                        + (job.error() == null ? "" : ": " + job.error().code() + ": " + job.error().message()
                        + (job.error().hint() == null ? "" : " (hint: " + job.error().hint() + ")")));
                logHint(out);
                return 1;
            }
            Job.Output result = job.outputs().get(0);
            Path target = output != null ? output : Path.of("outpaint-" + jobId + ".mp4");
            try (var s3 = pipeline.cloud().s3()) {
                Files.deleteIfExists(target);
                s3.getObject(b -> b.bucket(result.bucket()).key(result.key()), target);
            }
            out.println();
            out.println("Done: " + target.toAbsolutePath());
            out.printf("  %dx%d, %d bytes, sha256 %s%n", result.width(), result.height(), result.bytes(), result.sha256());
            out.println("  in the bucket: s3://" + result.bucket() + "/" + result.key());
            out.println("  job id: " + jobId);
            return 0;
        }
    }

    /** Shows the job's status and Scenario's progress until it ends. */
    private Job follow(LocalPipeline pipeline, String jobId) throws InterruptedException {
        ProgressBar bar = new ProgressBar(Outpaint.out, System.console() != null && System.getenv("CI") == null);
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        while (true) {
            Job job = pipeline.services().jobs().find(jobId).orElse(null);
            if (job != null) {
                bar.show(job.status().name(), job.progress());
                if (job.status().isTerminal()) {
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
