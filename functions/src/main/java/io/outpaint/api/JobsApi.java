package io.outpaint.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.store.DynamoJobStore;
import io.outpaint.store.JobStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** The HTTP API's behaviour, free of API Gateway's types: each method takes what the route gives. */
public final class JobsApi {

    public record Answer(int status, JsonNode body) {}

    static final ObjectMapper JSON = DynamoJobStore.json();
    private static final Set<String> CREATE_FIELDS = Set.of("video", "request", "notify");
    private static final Duration URL_LIFETIME = Duration.ofHours(1);
    private static final String CANCEL_NOTE = "canceled here; Scenario cannot cancel custom-model jobs, so its job may "
            + "still finish and be billed, and its result will not be copied";

    private final PipelineServices services;
    private final JobStarter starter;
    private final S3Presigner presigner;

    public JobsApi(PipelineServices services, S3Presigner presigner) {
        this.services = services;
        this.starter = new JobStarter(services);
        this.presigner = presigner;
    }

    /** {@code POST /jobs}: a video already in the bucket, or a presigned URL to upload one. */
    public Answer create(JsonNode body, Optional<String> idempotencyKey) {
        OutpaintRequest request = checked(body, CREATE_FIELDS);
        JsonNode video = body.path("video");
        String webhook = webhookUrl(body.path("notify"));
        if (idempotencyKey.isPresent() && (idempotencyKey.get().isBlank() || idempotencyKey.get().length() > 200)) {
            throw ApiError.badField("Idempotency-Key", null, "a header of 1 to 200 characters");
        }
        String jobId = idempotencyKey.map(k -> "api-" + sha256(k).substring(0, 32)).orElse("api-" + UUID.randomUUID());
        String key = idempotencyKey.orElse(null);
        Optional<Job> existing = services.jobs().find(jobId);
        if (existing.isPresent()) {
            services.admission().dispatch(); // a job whose first dispatch was lost is started now
            return repeat(existing.get(), request, video);
        }
        if (video.has("key") == video.has("upload")) {
            throw ApiError.badField("video", null, "give either video.key (an object under inputs/) or video.upload ({\"fileName\", \"contentType\"})");
        }
        ObjectNode answer;
        if (video.has("key")) {
            InputVideos.Video input = videoAt(video.path("key").asText(null));
            Job job = Job.queued(jobId, request.toJson(), new Job.Source("api", input.bucket(), input.key(), input.versionId(),
                    input.etag(), input.size(), input.contentType()), null, key, services.clock().instant(),
                    services.config().retentionDays()).withWebhookUrl(webhook);
            if (!starter.start(job)) {
                return repeat(services.jobs().find(jobId).orElseThrow(), request, video);
            }
            answer = view(services.jobs().find(jobId).orElseThrow(), false);
        } else {
            answer = prepareUpload(jobId, request, video.path("upload"), key, webhook);
        }
        return new Answer(202, answer);
    }

    private ObjectNode prepareUpload(String jobId, OutpaintRequest request, JsonNode upload, String idempotencyKey, String webhook) {
        String fileName = upload.path("fileName").asText("");
        String contentType = upload.path("contentType").asText("");
        if (!fileName.matches("[A-Za-z0-9._-]{1,200}") || !(fileName.endsWith(".mp4") || fileName.endsWith(".webm"))) {
            throw ApiError.badField("video.upload.fileName", fileName, "a file name of letters, digits, '.', '_' or '-' ending in .mp4 or .webm");
        }
        if (!InputVideos.TYPES.contains(contentType)) {
            throw ApiError.badField("video.upload.contentType", contentType, "one of " + String.join(", ", InputVideos.TYPES));
        }
        String key = InputVideos.PREFIX + jobId + "/" + fileName;
        Job job = Job.queued(jobId, request.toJson(), new Job.Source("api-upload", services.config().bucket(), key, null, null, null,
                contentType), null, idempotencyKey, services.clock().instant(), services.config().retentionDays())
                .withWebhookUrl(webhook);
        if (!services.jobs().create(job)) {
            return view(services.jobs().find(jobId).orElseThrow(), false);
        }
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(URL_LIFETIME)
                .putObjectRequest(o -> o.bucket(services.config().bucket()).key(key).contentType(contentType)));
        ObjectNode answer = view(job, false);
        ObjectNode up = answer.putObject("upload");
        up.put("method", "PUT").put("url", presigned.url().toString()).put("expiresAt", presigned.expiration().toString());
        up.putObject("headers").put("Content-Type", contentType);
        up.put("note", "the job starts when the upload lands");
        return answer;
    }

    /** The body's top-level fields and model inputs, every bad one named. */
    private static OutpaintRequest checked(JsonNode body, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "INVALID_JSON", "the body must be a JSON object: {\"video\": {...}, \"request\": {...}}");
        }
        List<String> unknown = iterable(body.fieldNames()).stream().filter(f -> !fields.contains(f)).toList();
        if (!unknown.isEmpty()) {
            throw ApiError.badField(unknown.get(0), null, "unknown field; the fields are " + String.join(", ", new java.util.TreeSet<>(fields)));
        }
        try {
            return OutpaintRequest.fromJson(body.get("request"));
        } catch (InvalidRequestException e) {
            throw new ApiError(400, "INVALID_REQUEST", e.getMessage(), e.errors().stream()
                    .map(f -> new io.outpaint.request.FieldError("request." + f.field(), f.value(), f.allowed())).toList());
        }
    }

    /** The input video at {@code key}: 400 for a key outside inputs/, 422 for an object that is missing or not a video. */
    private InputVideos.Video videoAt(String key) {
        try {
            return services.inputs().describe(services.config().bucket(), key, null);
        } catch (InvalidInputException e) {
            throw new ApiError(key != null && key.startsWith(InputVideos.PREFIX) ? 422 : 400, "INVALID_INPUT",
                    e.getMessage(), List.of(new io.outpaint.request.FieldError("video.key", key, e.getMessage())));
        }
    }

    /** {@code notify.webhookUrl}, checked where it enters: an absolute https URL (http only where the deployment allows it). */
    private String webhookUrl(JsonNode notify) {
        if (notify.isMissingNode() || notify.isNull()) {
            return null;
        }
        JsonNode url = notify.path("webhookUrl");
        if (!notify.isObject() || notify.size() != 1 || !url.isTextual()) {
            throw ApiError.badField("notify", null, "an object with one field, webhookUrl");
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(url.asText());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        boolean schemeOk = uri != null && ("https".equals(uri.getScheme())
                || (services.config().webhookAllowHttp() && "http".equals(uri.getScheme())));
        if (!schemeOk || uri.getHost() == null || uri.getUserInfo() != null || url.asText().length() > 2048) {
            throw ApiError.badField("notify.webhookUrl", url.asText().length() > 60 ? url.asText().substring(0, 60) + "..." : url.asText(),
                    "an absolute https URL of at most 2048 characters, without credentials");
        }
        if (services.config().webhookSecret().isEmpty() && services.config().webhookSecretArn().isEmpty()) {
            throw ApiError.badField("notify.webhookUrl", null, "webhooks are not set up in this deployment (no signing secret)");
        }
        return uri.toString();
    }

    /** The same Idempotency-Key again: the same job if the body asks the same, else a refusal. */
    private Answer repeat(Job job, OutpaintRequest request, JsonNode video) {
        boolean sameVideo = video.has("key") ? video.path("key").asText().equals(job.source().key())
                : (InputVideos.PREFIX + job.jobId() + "/" + video.path("upload").path("fileName").asText()).equals(job.source().key())
                        && video.path("upload").path("contentType").asText().equals(job.source().contentType());
        if (!sameVideo || !request.toJson().equals(job.request())) {
            throw new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for job " + job.jobId()
                    + " with another body; use a new key for a new job");
        }
        return new Answer(202, view(job, false));
    }

    /**
     * {@code POST /estimate}: the cost in creative units of the job {@code create} would start, from
     * Scenario's dry run. The video is uploaded to Scenario (a dry run needs its asset id); no job is
     * started and nothing is recorded.
     */
    public Answer estimate(JsonNode body) {
        OutpaintRequest request = checked(body, Set.of("video", "request"));
        InputVideos.Video video = videoAt(body.path("video").path("key").asText(null));
        try (var in = services.inputs().open(video)) {
            String asset = services.scenario().uploadVideo(video.fileName(), video.contentType(), in, video.size(), null);
            int cost = services.scenario().estimateCost(request, asset);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("creativeUnits", cost);
            answer.put("note", "Scenario's estimate; nothing was started");
            return new Answer(200, answer);
        } catch (io.outpaint.scenario.ScenarioThrottledException e) {
            throw new ApiError(429, "SCENARIO_BUSY", "Scenario is limiting requests; try again later");
        } catch (io.outpaint.scenario.ScenarioValidationException e) {
            throw new ApiError(422, "SCENARIO_REFUSED_REQUEST", e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code GET /jobs/{id}}. */
    public Answer get(String jobId) {
        return new Answer(200, view(find(jobId), true));
    }

    /** {@code GET /jobs?status=&limit=&nextToken=}, newest first. */
    public Answer list(Map<String, String> query) {
        Optional<JobStatus> status = Optional.ofNullable(query.get("status")).map(s -> Arrays.stream(JobStatus.values())
                .filter(v -> v.name().equalsIgnoreCase(s)).findFirst()
                .orElseThrow(() -> ApiError.badField("status", s, "one of " + Arrays.stream(JobStatus.values()).map(Enum::name)
                        .collect(Collectors.joining(", ")))));
        int limit;
        try {
            limit = Integer.parseInt(query.getOrDefault("limit", "20"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            throw ApiError.badField("limit", query.get("limit"), "an integer from 1 to 100");
        }
        JobStore.Page page;
        try {
            page = services.jobs().list(status, limit, Optional.ofNullable(query.get("nextToken")));
        } catch (DynamoJobStore.InvalidPageTokenException e) {
            throw ApiError.badField("nextToken", null, e.getMessage());
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode jobs = body.putArray("jobs");
        page.jobs().forEach(j -> jobs.add(view(j, false)));
        page.nextToken().ifPresent(t -> body.put("nextToken", t));
        return new Answer(200, body);
    }

    /** {@code POST /jobs/{id}/cancel}: stops the execution, records CANCELED and frees the job's slot. */
    public Answer cancel(String jobId) {
        Job job = find(jobId);
        if (job.status().isTerminal()) {
            throw new ApiError(409, "ALREADY_ENDED", "job " + jobId + " has ended already: " + job.status());
        }
        if (job.executionArn() != null) {
            try {
                services.sfn().stopExecution(b -> b.executionArn(job.executionArn()).error("Canceled").cause("canceled through the API"));
            } catch (ExecutionDoesNotExistException e) {
                // never started: nothing to stop
            }
        }
        Job canceled = services.jobs().update(jobId, j -> j.status().isTerminal() ? j
                : j.moveTo(JobStatus.CANCELED, services.clock().instant(), "canceled through the API"));
        services.admission().release(jobId);
        if (canceled.status() != JobStatus.CANCELED) {
            throw new ApiError(409, "ALREADY_ENDED", "job " + jobId + " ended as " + canceled.status() + " before it could be canceled");
        }
        ObjectNode body = view(canceled, false);
        body.put("note", CANCEL_NOTE);
        return new Answer(200, body);
    }

    private Job find(String jobId) {
        if (jobId == null || !jobId.matches(io.outpaint.pipeline.JobIds.PATTERN)) {
            throw new ApiError(404, "NOT_FOUND", "no job " + jobId);
        }
        return services.jobs().find(jobId).orElseThrow(() -> new ApiError(404, "NOT_FOUND", "no job " + jobId));
    }

    /** A job as the API shows it; with details, its history and presigned URLs of its outputs. */
    ObjectNode view(Job job, boolean details) {
        ObjectNode body = JSON.createObjectNode();
        body.put("jobId", job.jobId());
        body.put("status", job.status().name());
        body.put("progress", job.progress());
        body.put("createdAt", job.createdAt().toString());
        body.put("updatedAt", job.updatedAt().toString());
        if (job.source() != null) {
            body.putObject("input").put("bucket", job.source().bucket()).put("key", job.source().key());
        }
        if (job.error() != null) {
            body.set("error", JSON.valueToTree(job.error()));
        }
        services.queue().describe(job).ifPresent(q -> body.setAll((ObjectNode) JSON.valueToTree(q)));
        ObjectNode links = body.putObject("links");
        links.put("self", "/jobs/" + job.jobId());
        links.put("cancel", "/jobs/" + job.jobId() + "/cancel");
        if (details) {
            body.set("request", job.request());
            if (job.scenario().jobId() != null) {
                body.putObject("scenario").put("jobId", job.scenario().jobId());
            }
            body.set("history", JSON.valueToTree(job.history()));
            ArrayNode outputs = body.putArray("outputs");
            for (Job.Output out : job.outputs()) {
                ObjectNode o = JSON.valueToTree(out);
                o.put("url", presigner.presignGetObject(p -> p.signatureDuration(URL_LIFETIME)
                        .getObjectRequest(g -> g.bucket(out.bucket()).key(out.key()))).url().toString());
                outputs.add(o);
            }
        }
        return body;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> all = new java.util.ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }
}
