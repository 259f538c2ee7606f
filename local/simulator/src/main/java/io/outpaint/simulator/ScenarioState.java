package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.WebmVideo;
import io.outpaint.simulator.video.VideoInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the simulated Scenario account holds: uploads, assets and jobs. */
final class ScenarioState {

    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** How long reading a due job waits for its render: under the 2 s read timeout the project's tests give clients. */
    static final Duration RESULT_WAIT = Duration.ofSeconds(1);

    static final class Upload {
        final String id;
        final String fileName;
        final String contentType;
        final int parts;
        final long fileSize;
        final Instant createdAt;
        volatile String status = "pending";
        volatile String entityId;
        volatile String errorMessage;
        /** The asset an upload becomes; named in {@code entityId} only once the upload reads {@code imported}. */
        volatile String importedAs;

        Upload(String id, String fileName, String contentType, int parts, long fileSize, Instant createdAt) {
            this.id = id;
            this.fileName = fileName;
            this.contentType = contentType;
            this.parts = parts;
            this.fileSize = fileSize;
            this.createdAt = createdAt;
        }
    }

    record Asset(String id, String name, Path file, String mimeType, VideoInfo video, long size) {}

    private final Path dir;
    private final Clock clock;
    private final Renderer renderer;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private final Map<String, SimulatedJob> jobs = new ConcurrentHashMap<>();
    private final List<SimulatedJob> jobsInOrder = new CopyOnWriteArrayList<>();
    private volatile long minResultBytes;

    ScenarioState(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        this.renderer = new Renderer(dir);
    }

    void minResultBytes(long value) {
        minResultBytes = value;
    }

    Instant now() {
        return clock.instant();
    }

    Upload createUpload(String fileName, String contentType, int parts, long fileSize) {
        Upload upload = new Upload("upload_" + shortId(), fileName, contentType, parts, fileSize, now());
        uploads.put(upload.id, upload);
        return upload;
    }

    Optional<Upload> upload(String id) {
        return Optional.ofNullable(uploads.get(id));
    }

    Path partFile(Upload upload, int number) {
        return dir.resolve(upload.id + ".part" + number);
    }

    /** Joins the parts, checks them as S3 and Scenario would, and imports the video as an asset. */
    void importUpload(Upload upload) {
        Path joined = dir.resolve(upload.id + ".video");
        try (OutputStream out = Files.newOutputStream(joined, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long total = 0;
            for (int n = 1; n <= upload.parts; n++) {
                Path part = partFile(upload, n);
                if (!Files.exists(part)) {
                    fail(upload, "Part " + n + " of " + upload.parts + " was never uploaded");
                    return;
                }
                long size = Files.size(part);
                if (n < upload.parts && size < MIN_PART_BYTES) {
                    fail(upload, "Part " + n + " is " + size + " bytes; every part but the last must be at least 5 MB");
                    return;
                }
                total += Files.copy(part, out);
                Files.delete(part);
            }
            if (total != upload.fileSize) {
                fail(upload, "Received " + total + " bytes, but fileSize said " + upload.fileSize);
                return;
            }
        } catch (IOException e) {
            fail(upload, "Could not read the uploaded parts: " + e.getMessage());
            return;
        }
        try {
            VideoInfo info = upload.contentType.equals("video/webm") ? WebmVideo.probe(joined) : Mp4Video.probe(joined);
            Asset asset = new Asset("asset_" + shortId(), upload.fileName, joined, upload.contentType, info, Files.size(joined));
            assets.put(asset.id(), asset);
            // as on Scenario: received and joined, still processing, no entityId yet
            upload.importedAs = asset.id();
            upload.status = "complete";
        } catch (IOException e) {
            fail(upload, "The file is not a readable video: " + e.getMessage());
        }
    }

    /**
     * The upload as {@code GET /v1/uploads/{id}} shows it. A {@code complete} upload is shown so once,
     * then moves on to {@code imported} with its {@code entityId}, unless {@code neverImported}.
     */
    Map<String, Object> observe(Upload upload, boolean neverImported) {
        synchronized (upload) {
            Map<String, Object> view = Views.upload(upload, List.of());
            if (upload.status.equals("complete") && !neverImported) {
                upload.entityId = upload.importedAs;
                upload.status = "imported";
            }
            return view;
        }
    }

    private static void fail(Upload upload, String message) {
        upload.errorMessage = message;
        upload.status = "failed";
    }

    Optional<Asset> asset(String id) {
        return Optional.ofNullable(assets.get(id));
    }

    /** Jobs not yet in a final status at {@code now}. */
    synchronized int jobsRunning() {
        Instant now = now();
        return (int) jobsInOrder.stream().filter(j -> j.endedAt(now) == null).count();
    }

    /** Seconds until the first running job ends, for the plan-limit answer. */
    long secondsUntilASlotFrees() {
        Instant now = now();
        return jobsInOrder.stream().filter(j -> j.endedAt(now) == null && !j.stuck)
                .map(j -> Duration.between(now, j.createdAt.plus(j.duration)).toSeconds() + 1)
                .min(Long::compare).orElse(60L);
    }

    /** Creates a job unless {@code limit} jobs already run; empty when the limit is reached. */
    synchronized Optional<SimulatedJob> createJob(ObjectNode input, Duration duration, int limit, boolean stuck,
                                                  boolean skipOptionalStages, String error, String hint) {
        if (jobsRunning() >= limit) {
            return Optional.empty();
        }
        SimulatedJob job = new SimulatedJob("job_" + shortId(), now(), input, duration, stuck,
                skipOptionalStages, error, hint);
        jobs.put(job.id, job);
        jobsInOrder.add(job);
        return Optional.of(job);
    }

    /** The job, with its result rendered if it is due. */
    Optional<SimulatedJob> job(String id) {
        SimulatedJob job = jobs.get(id);
        if (job != null) {
            settle(job, System.nanoTime() + RESULT_WAIT.toNanos());
        }
        return Optional.ofNullable(job);
    }

    /** Jobs newest first, settled. */
    List<SimulatedJob> jobsNewestFirst() {
        List<SimulatedJob> all = new ArrayList<>(jobsInOrder);
        all.sort(Comparator.comparing((SimulatedJob j) -> j.createdAt).reversed());
        // one wait for the whole list, not one per job still rendering
        long deadline = System.nanoTime() + RESULT_WAIT.toNanos();
        all.forEach(job -> settle(job, deadline));
        return all;
    }

    List<SimulatedJob> allJobs() {
        return List.copyOf(jobsInOrder);
    }

    private void settle(SimulatedJob job, long deadlineNanos) {
        synchronized (job) {
            if (!job.dueForResult(now())) {
                return;
            }
            Duration wait = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
            Optional<Path> rendered = renderer.renderWithin(spec(job), wait);
            if (rendered.isEmpty()) {
                // still rendering: the job stays in its last running stage, as a slow finalization on Scenario would
                return;
            }
            Path file = rendered.get();
            try {
                VideoInfo info = Mp4Video.probe(file);
                Asset result = new Asset("asset_" + shortId(), job.id + ".mp4", file, "video/mp4", info, Files.size(file));
                assets.put(result.id(), result);
                job.finish(result.id(), job.createdAt.plus(job.duration));
            } catch (IOException e) {
                throw new IllegalStateException("could not size the rendered result", e);
            }
        }
    }

    /** Starts rendering the job's result while it runs, so reading the job when it is due does not wait for ffmpeg. */
    void startRendering(SimulatedJob job) {
        if (job.error == null && !job.stuck) {
            renderer.start(spec(job));
        }
    }

    private Renderer.Spec spec(SimulatedJob job) {
        Asset source = assets.get(job.input.path("videoUrl").asText());
        return Renderer.specFor(job.input, source.video(), minResultBytes, source.file(), source.mimeType());
    }

    /** Stops a render in progress. */
    void close() {
        renderer.close();
    }

    /** The cost in creative units that a job with {@code input} would have ({@link Pricing}'s rule). */
    int cost(JsonNode input) {
        Asset source = assets.get(input.path("videoUrl").asText());
        return Pricing.cost(input, source == null ? 81 : source.video().frames());
    }

    /** The frames {@code input} generates. */
    long frames(JsonNode input) {
        Asset source = assets.get(input.path("videoUrl").asText());
        return Pricing.frames(input, source == null ? 81 : source.video().frames());
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
