package io.outpaint.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import io.outpaint.simulator.video.Mp4Video;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Many jobs at once through the local runtime's HTTP API, beside one job alone in the same run:
 * {@code POST /jobs} latency (p50, p95, max), each job's time beyond Scenario's (from its record's
 * createdAt to its final updatedAt, less the simulated job's length), and the peak resident memory
 * of this JVM and its child processes (the Step Functions sidecar).
 *
 * <p>The batch runs twice. The first is the runtime's first load: every part (the functions,
 * DynamoDB Local, S3Mock, the simulator, in this JVM, and the sidecar's JavaScript engine) is
 * still being compiled by its JIT while the jobs run, on the same cores. The second, after one job
 * alone (the baseline), is the same load on a runtime that has run for a while, which is what a
 * server under steady load meets. Both are printed.
 */
public final class LoadBenchmark {

    /** One batch's figures, in milliseconds. */
    record Figures(int jobs, int succeeded, List<Long> postMillis, List<Long> overheadMillis,
                   java.util.Map<String, List<Long>> millisInStatus) {
        long post(double q) { return percentile(postMillis, q); }
        long overhead(double q) { return percentile(overheadMillis, q); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String KEY = "inputs/load/clip.mp4";

    private LoadBenchmark() {}

    public static void run(PrintStream out, int jobs, int concurrency, int jobSeconds) throws Exception {
        Path video = Files.createTempFile("outpaint-load-", ".mp4");
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger()
                .withLimit(jobs).withJobDuration(Duration.ofSeconds(jobSeconds)))) {
            Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
            try (var s3 = pipeline.cloud().s3()) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(KEY).contentType("video/mp4"), RequestBody.fromFile(video));
            }
            String url = pipeline.httpApi().url();
            String apiKey = pipeline.httpApi().apiKey();
            out.printf("%d jobs of %d s, %d POSTs at a time, against one job alone (the baseline)%n%n", jobs, jobSeconds, concurrency);
            // one job first, unmeasured: the first request's class loading would otherwise be charged to the first batch
            batch(out, url, apiKey, 1, 1, jobSeconds);
            Figures first = batch(out, url, apiKey, jobs, concurrency, jobSeconds);
            Figures alone = batch(out, url, apiKey, 1, 1, jobSeconds);
            Figures again = batch(out, url, apiKey, jobs, concurrency, jobSeconds);
            out.println("| run | jobs | succeeded | POST p50 | POST p95 | POST max | overhead p50 | overhead p95 | overhead max |");
            out.println("|---|---|---|---|---|---|---|---|---|");
            row(out, "concurrent, first load", first);
            row(out, "alone (baseline)", alone);
            row(out, "concurrent, again", again);
            out.println();
            out.println("Where a succeeded job's time went, by status (from its history; SUBMITTED and IN_PROGRESS include Scenario's " + jobSeconds + " s):");
            out.println();
            out.println("| status | alone | first load p50 | first load p95 | again p50 | again p95 |");
            out.println("|---|---|---|---|---|---|");
            java.util.Set<String> statuses = new java.util.LinkedHashSet<>(first.millisInStatus().keySet());
            statuses.addAll(again.millisInStatus().keySet());
            for (String status : statuses) {
                List<Long> one = alone.millisInStatus().getOrDefault(status, List.of());
                List<Long> cold = first.millisInStatus().getOrDefault(status, List.of());
                List<Long> warm = again.millisInStatus().getOrDefault(status, List.of());
                out.printf("| %s | %s | %s | %s | %s | %s |%n", status, seconds(one, 0.5), seconds(cold, 0.5), seconds(cold, 0.95),
                        seconds(warm, 0.5), seconds(warm, 0.95));
            }
            out.printf("%nPOST p95 / alone: %.1fx first load, %.1fx again; overhead p50 / alone: %.1fx first load, %.1fx again%n",
                    ratio(first.post(0.95), alone.post(0.95)), ratio(again.post(0.95), alone.post(0.95)),
                    ratio(first.overhead(0.5), alone.overhead(0.5)), ratio(again.overhead(0.5), alone.overhead(0.5)));
            out.printf("Peak RSS: this JVM %d MiB, child processes %d MiB%n", peakRssKib(ProcessHandle.current().pid()) / 1024,
                    ProcessHandle.current().descendants().mapToLong(p -> peakRssKib(p.pid())).sum() / 1024);
        } finally {
            Files.deleteIfExists(video);
        }
    }

    private static Figures batch(PrintStream out, String url, String apiKey, int jobs, int concurrency, int jobSeconds) throws Exception {
        ExecutorService posters = Executors.newFixedThreadPool(concurrency);
        List<Future<String>> created = new ArrayList<>();
        List<Long> postMillis = Collections.synchronizedList(new ArrayList<>());
        String body = "{\"video\":{\"key\":\"" + KEY + "\"},\"request\":{\"prompt\":\"load\",\"resolution\":\"480p\"}}";
        for (int i = 0; i < jobs; i++) {
            created.add(posters.submit(() -> {
                long start = System.nanoTime();
                JsonNode answer = send(HttpRequest.newBuilder(URI.create(url + "/jobs")).header("x-api-key", apiKey)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
                postMillis.add((System.nanoTime() - start) / 1_000_000);
                return answer.path("jobId").asText();
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : created) {
            ids.add(f.get());
        }
        posters.shutdown();
        List<Long> overhead = new ArrayList<>();
        java.util.Map<String, List<Long>> inStatus = new java.util.LinkedHashMap<>();
        java.util.Map<String, Integer> notSucceeded = new java.util.TreeMap<>();
        int succeeded = 0;
        Instant deadline = Instant.now().plusSeconds(600L + jobSeconds);
        for (String id : ids) {
            JsonNode job;
            do {
                Thread.sleep(200);
                job = send(HttpRequest.newBuilder(URI.create(url + "/jobs/" + id)).header("x-api-key", apiKey).GET());
            } while (!Set.FINAL.contains(job.path("status").asText()) && Instant.now().isBefore(deadline));
            if (!job.path("status").asText().equals("SUCCEEDED")) {
                // a job that did not succeed is named with its status and code: a figure over fewer jobs says why
                System.err.println("load benchmark: job " + id + " ended " + job.path("status").asText() + " "
                        + job.path("error").path("code").asText("") + " " + job.path("error").path("message").asText(""));
                notSucceeded.merge(job.path("status").asText() + " " + job.path("error").path("code").asText(""), 1, Integer::sum);
            }
            if (job.path("status").asText().equals("SUCCEEDED")) {
                succeeded++;
                long total = Duration.between(Instant.parse(job.path("createdAt").asText()), Instant.parse(job.path("updatedAt").asText())).toMillis();
                overhead.add(Math.max(0, total - jobSeconds * 1000L));
                JsonNode history = job.path("history");
                for (int i = 0; i + 1 < history.size(); i++) {
                    long millis = Duration.between(Instant.parse(history.get(i).path("at").asText()),
                            Instant.parse(history.get(i + 1).path("at").asText())).toMillis();
                    inStatus.computeIfAbsent(history.get(i).path("status").asText(), k -> new ArrayList<>()).add(millis);
                }
            }
        }
        if (!notSucceeded.isEmpty()) {
            out.println("not succeeded (status, code: jobs): " + notSucceeded);
        }
        return new Figures(jobs, succeeded, postMillis, overhead, inStatus);
    }

    private static JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    private static void row(PrintStream out, String name, Figures f) {
        out.printf("| %s | %d | %d | %d ms | %d ms | %d ms | %.1f s | %.1f s | %.1f s |%n", name, f.jobs(), f.succeeded(),
                f.post(0.5), f.post(0.95), f.post(1.0), f.overhead(0.5) / 1000.0, f.overhead(0.95) / 1000.0, f.overhead(1.0) / 1000.0);
    }

    /** A percentile of {@code millis} in seconds, or "-" for none. */
    private static String seconds(List<Long> millis, double q) {
        return millis.isEmpty() ? "-" : String.format("%.2f s", percentile(millis, q) / 1000.0);
    }

    static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1 < 0 ? 0 : Math.ceil(q * sorted.size()) - 1));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** VmHWM, the peak resident set, of a process in KiB; 0 where /proc does not say. */
    private static long peakRssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process has gone
        }
        return 0;
    }

    /** The statuses a job ends in. */
    private static final class Set {
        static final java.util.Set<String> FINAL = java.util.Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED");
    }
}
