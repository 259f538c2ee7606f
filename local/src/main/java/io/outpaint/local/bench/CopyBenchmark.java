package io.outpaint.local.bench;

import io.outpaint.local.aws.S3Emulator;
import io.outpaint.media.ResultCopier;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.RetryPolicy;
import io.outpaint.scenario.ScenarioAsset;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioCredentials;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.scenario.ScenarioSettings;
import io.outpaint.simulator.ScenarioSimulator;
import io.outpaint.simulator.video.Mp4Video;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The result copy (Transfer Manager multipart, resumable, hashed) beside a raw baseline on the same
 * loopback: the same bytes from the simulator's CDN URL piped straight into one S3 PUT. Both write
 * into S3Mock in this JVM; the heap is sampled during each, to show it does not grow with the size.
 */
public final class CopyBenchmark {

    private static final int PART_BYTES = Integer.getInteger("bench.partMiB", 16) * 1024 * 1024;

    private CopyBenchmark() {}

    public static void run(PrintStream out, List<Integer> sizesMiB) throws Exception {
        Path data = Files.createTempDirectory("copy-bench-s3-");
        try (S3Emulator s3mock = new S3Emulator(0, data, false);
             ScenarioSimulator sim = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withJobDuration(Duration.ofMillis(200)))) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
            S3Client s3 = S3Client.builder().endpointOverride(URI.create(s3mock.url())).forcePathStyle(true)
                    .region(Region.US_EAST_1).credentialsProvider(credentials).build();
            S3AsyncClient async = S3AsyncClient.builder().endpointOverride(URI.create(s3mock.url())).forcePathStyle(true)
                    .region(Region.US_EAST_1).credentialsProvider(credentials).multipartEnabled(true)
                    .multipartConfiguration(m -> m.minimumPartSizeInBytes((long) PART_BYTES).thresholdInBytes((long) PART_BYTES))
                    .build();
            s3.createBucket(b -> b.bucket("bench"));
            ScenarioClient client = new ScenarioClient(ScenarioSettings.of(URI.create(sim.apiUrl()),
                    new ScenarioCredentials(sim.apiKey(), sim.apiSecret())).withRetry(RetryPolicy.defaults()));
            ResultCopier copier = new ResultCopier(client, S3TransferManager.builder().s3Client(async).build(), s3);
            String video = upload(client);
            out.println("Copy: ResultCopier (Transfer Manager, " + PART_BYTES / (1024 * 1024) + " MiB parts) vs one streamed PUT"
                    + " of the same bytes, simulator -> S3Mock on loopback, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
            S3TransferManager rawTransfers = S3TransferManager.builder().s3Client(async).build();
            out.printf("%-10s %14s %18s %12s %8s %10s %20s %20s%n", "size", "baseline MB/s", "raw multipart MB/s", "copy MB/s",
                    "ratio", "vs raw mp", "peak heap baseline", "peak heap copy");
            for (int mib : sizesMiB) {
                sim.resultSizeAtLeast((long) mib * 1024 * 1024);
                String asset = result(client, video);
                ScenarioAsset info = client.getAsset(asset);
                long size = info.size();

                HeapPeak heap = new HeapPeak();
                long t0 = System.nanoTime();
                HttpURLConnection raw = (HttpURLConnection) info.url().toURL().openConnection();
                try (InputStream in = raw.getInputStream()) {
                    s3.putObject(b -> b.bucket("bench").key("baseline-" + mib), RequestBody.fromInputStream(in, size));
                }
                double baseline = mbPerSecond(size, System.nanoTime() - t0);
                long baselineHeap = heap.stop();

                // the same bytes through the same multipart client, without hashing or resuming: what S3Mock's
                // multipart handling costs, apart from what the copy adds
                t0 = System.nanoTime();
                HttpURLConnection again = (HttpURLConnection) client.getAsset(asset).url().toURL().openConnection();
                try (InputStream in = again.getInputStream()) {
                    var body = software.amazon.awssdk.core.async.AsyncRequestBody.forBlockingInputStream(size);
                    var upload = rawTransfers.upload(u -> u.requestBody(body).putObjectRequest(p -> p.bucket("bench").key("raw-" + mib)));
                    body.writeInputStream(in);
                    upload.completionFuture().join();
                }
                double rawMultipart = mbPerSecond(size, System.nanoTime() - t0);

                heap = new HeapPeak();
                t0 = System.nanoTime();
                ResultCopier.Copied copied = copier.copy(asset, "bench", "copy-" + mib);
                double ours = mbPerSecond(copied.bytes(), System.nanoTime() - t0);
                long copyHeap = heap.stop();
                if (copied.bytes() != size) {
                    throw new IllegalStateException("copied " + copied.bytes() + " of " + size + " bytes");
                }
                out.printf("%-10s %14.1f %18.1f %12.1f %7.2fx %9.2fx %17d MiB %17d MiB%n", size / (1 << 20) + " MiB", baseline,
                        rawMultipart, ours, ours / baseline, ours / rawMultipart, baselineHeap / (1 << 20), copyHeap / (1 << 20));
                s3.deleteObject(b -> b.bucket("bench").key("baseline-" + mib));
                s3.deleteObject(b -> b.bucket("bench").key("copy-" + mib));
                s3.deleteObject(b -> b.bucket("bench").key("raw-" + mib));
            }
            s3.close();
            async.close();
        }
    }

    private static String upload(ScenarioClient client) throws Exception {
        Path video = Files.createTempFile("copy-bench-", ".mp4");
        Mp4Video.write(video, 640, 360, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (InputStream in = Files.newInputStream(video)) {
            return client.uploadVideo("bench.mp4", "video/mp4", in, Files.size(video), null);
        } finally {
            Files.deleteIfExists(video);
        }
    }

    private static String result(ScenarioClient client, String video) throws Exception {
        OutpaintRequest request = OutpaintRequest.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"prompt\":\"benchmark\",\"resolution\":\"480p\"}"));
        ScenarioJob job = client.generate(request, video);
        while (!job.status().isFinal()) {
            Thread.sleep(200);
            job = client.getJob(job.id());
        }
        return job.assetIds().get(0);
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    /** The highest heap use seen while it runs, sampled every 10 ms after a collection. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        HeapPeak() {
            System.gc();
            sampler = new Thread(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
        }

        long stop() throws InterruptedException {
            running = false;
            sampler.join();
            return peak.get();
        }
    }
}
