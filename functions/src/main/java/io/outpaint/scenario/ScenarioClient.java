package io.outpaint.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.OutpaintRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario's API for the outpainting pipeline: upload a video, generate, watch and list jobs,
 * fetch assets and download results. Every call has timeouts and retries transient failures
 * ({@link RetryPolicy}); failures are typed ({@link ScenarioException}).
 */
public final class ScenarioClient {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioClient.class);
    private static final Set<String> VIDEO_TYPES = io.outpaint.media.VideoProbe.Container.mediaTypes();
    private static final int MAX_PARTS = 10_000;

    private final ScenarioHttp http;
    private final ScenarioSettings settings;
    private final boolean plainHttpAllowed;
    private final Clock clock;

    public ScenarioClient(ScenarioSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** With the clock that bounds waits for an import; waiting itself goes through the retry policy's sleeper. */
    public ScenarioClient(ScenarioSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = new ScenarioHttp(settings);
        // signed URLs must be https unless the API itself is plain http (a local simulator)
        this.plainHttpAllowed = "http".equals(settings.apiUrl().getScheme());
    }

    /**
     * Uploads a video of {@code size} bytes from {@code in} through {@code /v1/uploads} and waits
     * until Scenario has imported it. Holds one part in memory at a time.
     *
     * @return the new video asset's id
     */
    public String uploadVideo(String fileName, String contentType, InputStream in, long size, LongConsumer bytesSent) {
        if (!VIDEO_TYPES.contains(contentType)) {
            throw new IllegalArgumentException("contentType must be one of " + VIDEO_TYPES + ", not " + contentType);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive");
        }
        long partSize = Math.max(settings.partSizeBytes(), (size + MAX_PARTS - 1) / MAX_PARTS);
        int parts = (int) ((size + partSize - 1) / partSize);
        ObjectNode body = ScenarioHttp.JSON.createObjectNode()
                .put("fileName", fileName).put("contentType", contentType).put("kind", "video")
                .put("parts", parts).put("fileSize", size);
        JsonNode upload = http.call("POST", "/uploads", body, ScenarioHttp.Safety.REPEATABLE).path("upload");
        String uploadId = Answers.id(upload.path("id"), "upload.id");
        List<URI> urls = partUrls(upload.path("parts"), parts);
        LOG.info("Scenario upload {} created: {} bytes in {} parts", uploadId, size, parts);

        byte[] buffer = new byte[(int) Math.min(partSize, size)];
        long sent = 0;
        for (int n = 1; n <= parts; n++) {
            int length = (int) Math.min(partSize, size - sent);
            try {
                if (in.readNBytes(buffer, 0, length) != length) {
                    throw new EOFException("the video stream ended after " + sent + " of " + size + " bytes");
                }
            } catch (IOException e) {
                throw new UncheckedReadException("could not read part " + n + " of the video: " + e.getMessage(), e);
            }
            http.putPart(urls.get(n - 1), buffer, length, n);
            sent += length;
            if (bytesSent != null) {
                bytesSent.accept(sent);
            }
        }
        complete(uploadId);
        return awaitImport(uploadId);
    }

    private List<URI> partUrls(JsonNode parts, int expected) {
        if (!parts.isArray() || parts.size() != expected) {
            throw Answers.protocol(expected + " part URLs", parts);
        }
        URI[] urls = new URI[expected];
        for (JsonNode part : parts) {
            int number = part.path("number").asInt(0);
            URI url = URI.create(part.path("url").asText(""));
            boolean schemeOk = "https".equals(url.getScheme()) || (plainHttpAllowed && "http".equals(url.getScheme()));
            if (number < 1 || number > expected || !schemeOk || url.getHost() == null) {
                throw Answers.protocol("a numbered https part URL", part.path("number"));
            }
            urls[number - 1] = url;
        }
        return List.of(urls);
    }

    private void complete(String uploadId) {
        JsonNode action = ScenarioHttp.JSON.createObjectNode().put("action", "complete");
        try {
            http.call("POST", "/uploads/" + uploadId + "/action", action, ScenarioHttp.Safety.REPEATABLE);
        } catch (ScenarioValidationException e) {
            // a retried complete whose first answer was lost is refused: fine if the upload moved on
            String status = http.call("GET", "/uploads/" + uploadId, null, ScenarioHttp.Safety.REPEATABLE)
                    .path("upload").path("status").asText();
            if (status.equals("pending")) {
                throw e;
            }
        }
    }

    /** Polls until {@code imported}; {@code complete} means received and still processing, as Scenario's own plugin reads it. */
    private String awaitImport(String uploadId) {
        Instant deadline = clock.instant().plus(settings.uploadTimeout());
        while (true) {
            JsonNode upload = http.call("GET", "/uploads/" + uploadId, null, ScenarioHttp.Safety.REPEATABLE).path("upload");
            String status = upload.path("status").asText("");
            switch (status) {
                case "imported" -> {
                    return imported(uploadId, upload);
                }
                case "failed" -> throw new ScenarioUploadFailedException("Scenario could not import upload " + uploadId
                        + ": " + Answers.shown(upload.path("errorMessage").asText("no reason given")), 200, null, null);
                case "pending", "validating", "validated", "complete" -> { }
                default -> throw Answers.protocol("a documented upload status", upload.path("status"));
            }
            if (clock.instant().isAfter(deadline)) {
                throw new ScenarioUnavailableException("Scenario had not imported upload " + uploadId + " after "
                        + settings.uploadTimeout().toSeconds() + " s (status " + status + ")", 0, null, null);
            }
            pause(settings.uploadPollInterval());
        }
    }

    private static String imported(String uploadId, JsonNode upload) {
        String assetId = Answers.id(upload.path("entityId"), "upload.entityId");
        LOG.info("Scenario upload {} imported as {}", uploadId, assetId);
        return assetId;
    }

    /**
     * Starts a job. Not repeated after a lost answer: on {@link ScenarioOutcomeUnknownException}
     * look for the job with {@link #listJobs} before posting again.
     */
    public ScenarioJob generate(OutpaintRequest request, String videoAssetId) {
        JsonNode answer = http.call("POST", "/generate/custom/" + OutpaintRequest.MODEL_ID,
                request.toScenarioBody(videoAssetId), ScenarioHttp.Safety.CREATES_JOB);
        ScenarioJob job = Answers.job(answer.path("job"));
        LOG.info("Scenario job {} created, status {}", job.id(), job.status().wire());
        return job;
    }

    /** The cost in creative units of the job {@link #generate} would start; starts nothing. */
    public int estimateCost(OutpaintRequest request, String videoAssetId) {
        JsonNode answer = http.call("POST", "/generate/custom/" + OutpaintRequest.MODEL_ID + "?dryRun=true",
                request.toScenarioBody(videoAssetId), ScenarioHttp.Safety.REPEATABLE);
        JsonNode cost = answer.path("creativeUnitsCost");
        if (!cost.isNumber() || cost.asDouble() < 0) {
            throw Answers.protocol("creativeUnitsCost", cost);
        }
        return (int) Math.ceil(cost.asDouble());
    }

    public ScenarioJob getJob(String jobId) {
        return Answers.job(http.call("GET", "/jobs/" + checkedId(jobId), null, ScenarioHttp.Safety.REPEATABLE).path("job"));
    }

    /** Custom jobs, newest first; {@code status} null for all. */
    public JobPage listJobs(ScenarioJob.Status status, int pageSize, String paginationToken) {
        if (pageSize < 1 || pageSize > 200) {
            throw new IllegalArgumentException("pageSize must be from 1 to 200");
        }
        // the default of hideResults is undocumented: ask for the echoed input and the asset ids explicitly
        StringBuilder path = new StringBuilder("/jobs?type=custom&hideResults=false&pageSize=").append(pageSize);
        if (status != null) {
            path.append("&status=").append(status.wire());
        }
        if (paginationToken != null) {
            path.append("&paginationToken=").append(URLEncoder.encode(paginationToken, StandardCharsets.UTF_8));
        }
        JsonNode answer = http.call("GET", path.toString(), null, ScenarioHttp.Safety.REPEATABLE);
        List<ScenarioJob> jobs = new ArrayList<>();
        for (JsonNode job : answer.path("jobs")) {
            jobs.add(Answers.job(job));
        }
        JsonNode next = answer.path("nextPaginationToken");
        return new JobPage(jobs, next.isTextual() && !next.asText().isBlank() ? Optional.of(next.asText()) : Optional.empty());
    }

    public ScenarioAsset getAsset(String assetId) {
        return Answers.asset(http.call("GET", "/assets/" + checkedId(assetId), null, ScenarioHttp.Safety.REPEATABLE)
                .path("asset"), plainHttpAllowed);
    }

    /**
     * Opens a result for download from {@code offset}, fetching the asset first for a live URL
     * and again whenever the URL turns out to be expired (403).
     */
    public ResultDownload openResult(String assetId, long offset) {
        return http.withRetries("download " + assetId, ScenarioHttp.Safety.REPEATABLE, () -> {
            ScenarioAsset asset = getAsset(assetId);
            ScenarioHttp.Answer answer;
            try {
                answer = http.openDownload(asset.url(), offset);
            } catch (IOException e) {
                throw new ScenarioHttp.NotSent(e);
            }
            int status = answer.status();
            boolean ranged = offset > 0;
            if (status == 200 && !ranged || status == 206 && ranged) {
                long length = answer.connection().getContentLengthLong();
                return new ResultDownload(asset, offset, length,
                        new LengthCheckedStream(answer.connection().getInputStream(), length));
            }
            answer.connection().disconnect();
            if (status == 403) {
                LOG.info("URL of {} refused ({}); fetching the asset again for a live one", assetId, asset.urlForLogs());
                throw new ScenarioUnavailableException("the signed URL of " + assetId + " was refused (expired?)", 403, null, null);
            }
            throw ScenarioHttp.failure("download of " + assetId, status, null, "", answer.connection(),
                    ScenarioHttp.Safety.REPEATABLE);
        });
    }

    private static String checkedId(String id) {
        if (!ScenarioIds.isId(id)) {
            throw new IllegalArgumentException("not a Scenario id: " + Answers.shown(id));
        }
        return id;
    }

    private void pause(Duration duration) {
        try {
            settings.retry().sleeper().sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioUnavailableException("interrupted while waiting for Scenario", 0, null, e);
        }
    }

    /** Reading the caller's video stream failed; nothing Scenario did. */
    public static final class UncheckedReadException extends RuntimeException {
        UncheckedReadException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
