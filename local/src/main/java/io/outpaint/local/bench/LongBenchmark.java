package io.outpaint.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.segments.Segments;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code bench long}: a long clip through the local runtime (the real state machine and handlers, DynamoDB Local,
 * S3Mock) with the simulator's generations taking a fixed T, at a limit of K Scenario jobs at once. The segments'
 * makespan (the first segment admitted to the last one succeeded) against the ideal, segments x T / K; the Join's
 * time per minute of video (the parent's JOINING, its segments finished and joined); and per segment, Scenario jobs,
 * Lambda invocations of the state machine's steps (LambdaFunctionScheduled events in the executions' histories) and
 * DynamoDB writes ({@link CountingWrites}), the parent's own shared among its segments: flat in the clip's length.
 */
public final class LongBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LongBenchmark() {}

    public static void run(PrintStream out, int seconds, int limit, int jobSeconds) throws Exception {
        run(out, seconds, limit, jobSeconds, false);
    }

    /**
     * With {@code byFrames}, the simulator's generation of the model's most frames takes {@code jobSeconds} and a
     * shorter one its share (a generation's work grows with its frames), and the ideal is the sum of the segments' own
     * T over K; else every generation takes {@code jobSeconds}.
     */
    public static void run(PrintStream out, int seconds, int limit, int jobSeconds, boolean byFrames) throws Exception {
        CountingWrites writes = new CountingWrites();
        Path dir = Files.createTempDirectory("long-bench-");
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(limit)
                .withJobDuration(Duration.ofSeconds(jobSeconds)).withSweepEvery(Duration.ZERO).withDecorator(writes::wrap))) {
            // calm gradients with a tone, 320x240 at 24 fps, as the end-to-end tests make them
            Path clip = JoinBenchmark.make(FfmpegPrograms.locate(), dir, "long.mp4", List.of("-f", "lavfi", "-i",
                    "gradients=size=320x240:rate=24:speed=0.02:duration=" + seconds, "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac", "-c:v", "libopenh264", "-b:v", "1M",
                    "-pix_fmt", "yuv420p"));
            String parentId = "long-" + UUID.randomUUID();
            String key = "inputs/" + parentId + "/long.mp4";
            try (var s3 = pipeline.cloud().s3()) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(clip));
            }
            out.printf("bench long: a %d s clip (320x240, 24 fps, with sound) at a limit of %d, Scenario's generations of T = %d s"
                    + " (the simulator), %d cores%n", seconds, limit, jobSeconds, Runtime.getRuntime().availableProcessors());
            if (byFrames) {
                out.printf("(a generation's T in proportion to its frames: %d s for %d frames)%n", jobSeconds,
                        io.outpaint.simulator.ScenarioSimulator.MOST_FRAMES);
            }
            pipeline.simulator().jobDurationByFrames(byFrames);
            int jobsBefore = pipeline.simulator().jobsCreated();
            pipeline.start(parentId, key, (ObjectNode) JSON.readTree("{\"prompt\":\"p\",\"resolution\":\"480p\","
                    + "\"target\":{\"aspectRatio\":\"16:9\"}}"));
            Job parent = awaitEnd(pipeline, parentId, Duration.ofSeconds(600L + 10L * seconds * jobSeconds));
            if (parent.status() != JobStatus.SUCCEEDED) {
                out.println("the clip ended " + parent.status() + ": " + parent.error());
                return;
            }
            List<Job> segments = Segments.jobIds(parent).stream().map(id -> pipeline.services().jobs().get(id)).toList();
            int n = segments.size();
            Instant firstAdmitted = segments.stream().map(s -> at(s, JobStatus.ADMITTED)).min(Instant::compareTo).orElseThrow();
            Instant lastSucceeded = segments.stream().map(s -> at(s, JobStatus.SUCCEEDED)).max(Instant::compareTo).orElseThrow();
            double makespan = seconds(firstAdmitted, lastSucceeded);
            // each segment's own T: the same for all, or its share of jobSeconds by its generated frames
            double[] ts = io.outpaint.segments.SegmentJson.read(Segments.plan(parent)).segments().stream()
                    .mapToDouble(s -> byFrames ? (double) jobSeconds * s.generatedFrames() / io.outpaint.simulator.ScenarioSimulator.MOST_FRAMES
                            : jobSeconds).toArray();
            double ideal = java.util.Arrays.stream(ts).sum() / limit;
            // K at a time: the last round may be short of K segments, so no schedule beats ceil(segments / K) x T
            double rounds = Math.ceil((double) n / limit) * jobSeconds;
            List<Double> beyond = segments.stream().map(s -> seconds(at(s, JobStatus.ADMITTED), at(s, JobStatus.SUCCEEDED))
                    - ts[Segments.segmentOf(s).orElseThrow().index()]).sorted().toList();
            double whole = seconds(parent.createdAt(), at(parent, JobStatus.SUCCEEDED));
            double split = seconds(at(parent, JobStatus.SPLITTING), at(parent, JobStatus.RENDERING_SEGMENTS));
            double join = seconds(at(parent, JobStatus.JOINING), at(parent, JobStatus.SUCCEEDED));
            double minutes = seconds / 60.0;
            int scenarioJobs = pipeline.simulator().jobsCreated() - jobsBefore;
            long steps = stepInvocations(pipeline, parentId);
            double segmentWrites = writes.writes(id -> id.startsWith(parentId) && !id.equals(parentId));
            double parentWrites = writes.writes(parentId::equals);

            out.println();
            out.println("| figure | value |");
            out.println("|---|---|");
            out.printf("| segments | %d |%n", n);
            out.printf("| segments' makespan (first admitted to last succeeded) | %.1f s |%n", makespan);
            out.printf(byFrames ? "| ideal, the segments' own T summed / K | %.1f s |%n" : "| ideal, segments x T / K | %.1f s |%n", ideal);
            out.printf("| makespan / ideal (goal within 1.1x) | %.3fx |%n", makespan / ideal);
            if (!byFrames) {
                out.printf("| makespan / ceil(segments / K) x T (%.0f s) | %.3fx |%n", rounds, makespan / rounds);
            } else {
                out.printf("| segments' generated frames | %s |%n", java.util.Arrays.stream(ts)
                        .mapToObj(t -> String.valueOf(Math.round(t * io.outpaint.simulator.ScenarioSimulator.MOST_FRAMES / jobSeconds)))
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
            out.printf("| a segment's time beyond T, admitted to succeeded (median, max) | %.1f s, %.1f s |%n", beyond.get(n / 2),
                    beyond.get(n - 1));
            out.printf("| whole clip, created to SUCCEEDED / ideal | %.1f s, %.3fx |%n", whole, whole / ideal);
            out.printf("| Split (SPLITTING) | %.1f s, %.1f s per min of video |%n", split, split / minutes);
            out.printf("| Join (JOINING: each segment finished, then joined) | %.1f s, %.1f s per min of video |%n", join, join / minutes);
            out.printf("| Scenario jobs per segment | %.2f |%n", (double) scenarioJobs / n);
            out.printf("| Lambda step invocations per segment (the parent's shared) | %.1f |%n", (double) steps / n);
            out.printf("| DynamoDB writes per segment: its own + the parent's shared | %.1f + %.1f = %.1f |%n", segmentWrites / n,
                    parentWrites / n, (segmentWrites + parentWrites) / n);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The Lambda invocations of every execution of the clip and its segments (their names start with the parent's id). */
    private static long stepInvocations(LocalPipeline pipeline, String parentId) {
        SfnClient sfn = pipeline.cloud().stepFunctions();
        return sfn.listExecutionsPaginator(b -> b.stateMachineArn(pipeline.stateMachineArn())).executions().stream()
                .filter(e -> e.name().startsWith(parentId))
                .mapToLong(e -> sfn.getExecutionHistoryPaginator(b -> b.executionArn(e.executionArn())).events().stream()
                        .filter(h -> h.typeAsString().equals("LambdaFunctionScheduled")).count())
                .sum();
    }

    private static Job awaitEnd(LocalPipeline pipeline, String jobId, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Job job = pipeline.services().jobs().find(jobId).orElse(null);
            if (job != null && job.status().isTerminal()) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(jobId + " has not ended within " + within + ": " + job);
            }
            Thread.sleep(500);
        }
    }

    private static Instant at(Job job, JobStatus status) {
        return job.history().stream().filter(c -> c.status() == status).map(Job.StatusChange::at).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(job.jobId() + " was never " + status));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
