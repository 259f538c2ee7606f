package io.outpaint.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobDocument;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pricing.Estimate;
import io.outpaint.pricing.PriceShape;
import io.outpaint.pricing.SegmentPricing;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.notify.WebhookPolicy;
import io.outpaint.request.FieldError;
import io.outpaint.request.ObjectKeys;
import io.outpaint.request.TextRules;
import io.outpaint.request.FramingJson;
import io.outpaint.request.FramingPlan;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.Target;
import io.outpaint.media.VideoProbe;
import io.outpaint.segments.InputLength;
import io.outpaint.segments.Segments;
import io.outpaint.segments.SegmentJson;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentRules;
import io.outpaint.store.JobStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** The HTTP API's behaviour, free of API Gateway's types: each method takes what the route gives. */
public final class JobsApi {

    public record Answer(int status, JsonNode body) {}

    static final ObjectMapper JSON = io.outpaint.job.JobJson.mapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobsApi.class);
    private static final Duration URL_LIFETIME = Duration.ofHours(1);
    /** The source type of a job whose video comes through the upload URL {@code POST /jobs} hands out. */
    private static final String UPLOAD_SOURCE = "api-upload";
    private static final String CANCEL_NOTE = "canceled here; Scenario cannot cancel custom-model jobs, so its job may "
            + "still finish and be billed, and its result will not be copied";

    private final PipelineServices services;
    private final JobStarter starter;
    private final java.util.function.Supplier<S3Presigner> presigner;
    private final PageTokens tokens;

    /** Over a presigner built when first needed: only {@code POST /uploads} presigns. */
    public JobsApi(PipelineServices services, java.util.function.Supplier<S3Presigner> presigner) {
        this.services = services;
        this.starter = new JobStarter(services);
        this.presigner = presigner;
        this.tokens = PageTokens.forDeployment(services.config());
    }

    /** {@code POST /jobs}: a video already in the bucket, or a presigned URL to upload one. */
    public Answer create(JsonNode body, Optional<String> idempotencyKey) {
        CreateRequest create = CreateRequest.parse(body, true, this::webhookProblem);
        checkIdempotencyKey(idempotencyKey);
        String jobId = idempotencyKey.map(k -> io.outpaint.job.JobIds.API_PREFIX + io.outpaint.job.Hashes.sha256Hex(k).substring(0, 32))
                .orElse(io.outpaint.job.JobIds.API_PREFIX + UUID.randomUUID());
        String key = idempotencyKey.orElse(null);
        Optional<Job> existing = services.jobs().find(jobId);
        if (existing.isPresent()) {
            services.admission().dispatch(); // a job whose first dispatch was lost is started now
            return repeat(existing.get(), create);
        }
        String webhook = create.webhookUrl().orElse(null);
        ObjectNode answer;
        if (create.videoKey().isPresent()) {
            InputVideos.Video input = videoAt(create.videoKey().get());
            VideoProbe.Video probed = probedWithinLimit(input);
            Job job = Job.queued(jobId, create.request().toJson(), new Job.Source("api", input.bucket(), input.key(), input.versionId(),
                    input.etag(), input.size(), input.contentType()), null, key, services.clock().instant(),
                    services.config().retentionDays()).withWebhookUrl(webhook);
            job = create.videoName().map(job::withInputName).orElse(job);
            job = withEstimate(job, create, Optional.of(input), Optional.of(probed));
            if (!starter.start(job)) {
                return repeat(services.jobs().find(jobId).orElseThrow(), create);
            }
            answer = view(services.jobs().find(jobId).orElseThrow(), false);
        } else {
            answer = prepareUpload(jobId, create, key);
        }
        return new Answer(202, answer);
    }

    /** An {@code Idempotency-Key} header as every POST that takes one accepts it: 1 to 200 clean characters. */
    static void checkIdempotencyKey(Optional<String> idempotencyKey) {
        if (idempotencyKey.isPresent() && (idempotencyKey.get().isBlank() || idempotencyKey.get().length() > 200
                || !TextRules.isClean(idempotencyKey.get()))) {
            throw ApiError.badField("Idempotency-Key", null, "a header of 1 to 200 characters, " + TextRules.ALLOWED);
        }
    }

    /**
     * {@code POST /uploads}: a presigned PUT URL for a video under {@code inputs/staged/}, whose landing
     * starts nothing; its key then goes to {@code /estimate} and {@code /jobs} (see the cost, then start).
     */
    public Answer stage(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "INVALID_JSON", "the body must be a JSON object: {\"fileName\", \"contentType\"}");
        }
        CreateRequest.Upload upload = CreateRequest.staged(body);
        String key = InputVideos.STAGED + UUID.randomUUID() + "/" + upload.fileName();
        ObjectNode answer = JSON.createObjectNode().put("key", key);
        answer.set("upload", presignedPut(key, upload.contentType()));
        return new Answer(201, answer);
    }

    private ObjectNode presignedPut(String key, String contentType) {
        var presigned = presigner.get().presignPutObject(p -> p.signatureDuration(URL_LIFETIME)
                .putObjectRequest(o -> o.bucket(services.config().bucket()).key(key).contentType(contentType)));
        ObjectNode up = JSON.createObjectNode();
        up.put("method", "PUT").put("url", presigned.url().toString()).put("expiresAt", presigned.expiration().toString());
        up.putObject("headers").put("Content-Type", contentType);
        return up;
    }

    private ObjectNode prepareUpload(String jobId, CreateRequest create, String idempotencyKey) {
        CreateRequest.Upload upload = create.upload().orElseThrow();
        String key = InputVideos.PREFIX + jobId + "/" + upload.fileName();
        ObjectKeys.inputKey("video.upload.fileName", key).ifPresent(e -> {
            throw new ApiError(400, "INVALID_REQUEST", e.message(), List.of(e));
        });
        Job job = Job.queued(jobId, create.request().toJson(), new Job.Source(UPLOAD_SOURCE, services.config().bucket(), key, null,
                null, null, upload.contentType()), null, idempotencyKey, services.clock().instant(), services.config().retentionDays())
                .withWebhookUrl(create.webhookUrl().orElse(null));
        job = create.videoName().map(job::withInputName).orElse(job);
        job = withEstimate(job, create, Optional.empty(), Optional.empty());
        if (!services.jobs().create(job)) {
            return (ObjectNode) repeat(services.jobs().find(jobId).orElseThrow(), create).body();
        }
        ObjectNode answer = view(job, false);
        answer.set("upload", uploadOf(job.source()));
        return answer;
    }

    /**
     * The job with its estimate when one can be had now; a request with a target is priced on its shape (geometry does not
     * count). A clip longer than one generation ({@code probed} from its headers) is recorded with its segment plan and seed,
     * and its estimate is the sum of its segments' (each priced on its own shape): its segments reserve and settle their own.
     */
    private Job withEstimate(Job job, CreateRequest create, Optional<InputVideos.Video> video, Optional<VideoProbe.Video> probed) {
        Optional<SegmentPlan> split = probed.flatMap(p -> InputLength.plan(p, create.request().matchInputFramesPerSecond(),
                create.request().framesPerSecond(), segmentRules(), SegmentPlanner.seedFor(Optional.ofNullable(create.request().seed()),
                        job.jobId()))).filter(SegmentPlan::isSplit);
        Job planned = split.map(plan -> job.withSegments(Segments.planned(plan), job.createdAt())).orElse(job);
        if (create.maxCreativeUnits().isPresent()) {
            return withCheckedEstimate(planned, create, video, split, create.maxCreativeUnits().getAsInt());
        }
        Optional<Integer> units = split.isPresent() ? segmentsAtCreation(create.request(), split.get())
                : estimateAtCreation(create.request(), video);
        return units.map(u -> planned.withBilling(Job.Billing.NONE.withEstimate(u), planned.createdAt())).orElse(planned);
    }

    /**
     * The job with its estimate and its cap, refused when above {@code max}: a cap that cannot be checked now is refused too.
     * The cap is kept on the job's billing: a video that lands through the upload URL later is checked against it again
     * ({@link io.outpaint.pipeline.LandedPrice}), as its length may make it a long clip whose segments cost more.
     */
    private Job withCheckedEstimate(Job job, CreateRequest create, Optional<InputVideos.Video> video, Optional<SegmentPlan> split,
                                    int max) {
        if (create.request().matchInputNumFrames() && video.isEmpty()) {
            throw ApiError.badField("maxCreativeUnits", Integer.toString(max), "a cap the API can check before the video arrives:"
                    + " with matchInputNumFrames, stage the video first (POST /uploads) or give numFrames");
        }
        int units = split.isPresent() ? segmentsPrice(create.request(), split.get()).creativeUnits()
                : estimateOf(create.request(), video).creativeUnits();
        if (units > max) {
            throw new ApiError(400, "OVER_MAX_CREATIVE_UNITS", "the estimate is " + units + " creative units"
                    + split.map(p -> " (the sum of its " + p.count() + " segments')").orElse("") + ", above maxCreativeUnits " + max,
                    List.of(new FieldError("maxCreativeUnits", Integer.toString(max), "at least the estimate, " + units)));
        }
        return job.withBilling(Job.Billing.NONE.withEstimate(units).withMaxCreativeUnits(max), job.createdAt());
    }

    /** The input video at {@code key} (a key the validator passed): 422 for an object that is missing or not a video. */
    private InputVideos.Video videoAt(String key) {
        try {
            return services.inputs().describe(services.config().bucket(), key, null);
        } catch (InvalidInputException e) {
            // the object's own problem, said as it is ("no object ... in bucket ...", "... is not a video: ..."), not as a bad value
            FieldError field = FieldError.problem("video.key", e.getMessage());
            throw new ApiError(422, "INVALID_INPUT", field.message(), List.of(field));
        }
    }

    /** What is wrong with {@code notify.webhookUrl}, checked where it enters. */
    private Optional<String> webhookProblem(String url) {
        if (services.config().webhookSecret().isEmpty() && services.config().webhookSecretArn().isEmpty()) {
            return Optional.of("webhooks are not set up in this deployment (no signing secret)");
        }
        WebhookPolicy policy = WebhookPolicy.of(services.config());
        return policy.problemWith(url, WebhookPolicy.Resolver.SYSTEM).map(p -> p + "; allowed: " + policy.rule());
    }

    /** The same Idempotency-Key again: the same job if the whole body asks the same, else a refusal. */
    private Answer repeat(Job job, CreateRequest create) {
        boolean sameVideo = create.videoKey().map(k -> k.equals(job.source().key()))
                .orElseGet(() -> create.upload().map(u -> (InputVideos.PREFIX + job.jobId() + "/" + u.fileName()).equals(job.source().key())
                        && u.contentType().equals(job.source().contentType())).orElse(false));
        if (!sameVideo || !create.request().toJson().equals(job.request())
                || !Objects.equals(create.webhookUrl().orElse(null), job.webhookUrl())
                || create.videoName().filter(n -> !n.equals(job.inputName())).isPresent()) {
            throw new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for job " + job.jobId()
                    + " with another body (video, request or notify); use a new key for a new job");
        }
        ObjectNode answer = view(job, false);
        if (awaitsUpload(job)) {
            // the first answer may have been lost: its URL is handed again (a fresh one) for as long as the upload is awaited
            answer.set("upload", uploadOf(job.source()));
        }
        return new Answer(202, answer);
    }

    /** An API job whose video is to come through the upload URL its creation handed out, and has not come yet. */
    private static boolean awaitsUpload(Job job) {
        return job.status() == JobStatus.QUEUED && job.source() != null && UPLOAD_SOURCE.equals(job.source().type());
    }

    private ObjectNode uploadOf(Job.Source source) {
        ObjectNode up = presignedPut(source.key(), source.contentType());
        up.put("note", "the job starts when the upload lands");
        return up;
    }

    /**
     * {@code POST /estimate}: the cost in creative units of the job {@code create} would start, from the
     * price of its shape (cached, or one dry run on a reference video): the user's video is not uploaded,
     * only its headers are read (its frame size for a target, its frame count for matchInputNumFrames), from
     * the bucket ({@code video.key}) or as the client read them itself ({@code video.shape}).
     * No job is started and nothing is recorded.
     */
    public Answer estimate(JsonNode body) {
        CreateRequest create = CreateRequest.parse(body, false, url -> Optional.empty());
        if (create.videoShape().isPresent()) {
            VideoProbe.Video shape = create.videoShape().get().probed();
            new InputLength(services.config().maxInputDuration()).problemWith(shape, "video.shape").ifPresent(f -> {
                throw new ApiError(422, "INPUT_TOO_LONG", f.message(), List.of(f));
            });
            return estimate(create, shape, () -> {
                long frames = create.videoShape().get().frames();
                return frames > 0 && frames <= Integer.MAX_VALUE ? OptionalInt.of((int) frames) : OptionalInt.empty();
            });
        }
        InputVideos.Video video = videoAt(create.videoKey().orElseThrow());
        return estimate(create, probedWithinLimit(video), () -> services.inputs().frames(video));
    }

    /** The estimate of {@code create} on a video of this shape (probed from the bucket, or as the client probed it), within the length limit. */
    private Answer estimate(CreateRequest create, VideoProbe.Video probed, java.util.function.Supplier<OptionalInt> frames) {
        Optional<FramingPlan> plan = create.request().target().map(t -> framing(probed, t));
        OutpaintRequest request = plan.map(create.request()::framed).orElse(create.request());
        Optional<SegmentPlan> segments = segmentPlan(probed, request);
        ObjectNode answer;
        if (segments.filter(SegmentPlan::isSplit).isPresent()) {
            SegmentPlan split = segments.get();
            SegmentPricing.Priced priced = segmentsPrice(request, split);
            answer = priced.first().toJson();
            answer.put("creativeUnits", priced.creativeUnits());
            answer.put("source", (priced.anyDryRun() ? Estimate.Source.DRY_RUN : Estimate.Source.CACHE).wire());
            ObjectNode section = SegmentJson.write(split, request.seed() != null);
            for (int i = 0; i < split.count(); i++) {
                ((ObjectNode) section.path("each").get(i)).put("creativeUnits", priced.each().get(i));
            }
            answer.set("segments", section);
            answer.put("note", "the sum of its " + split.count() + " segments' prices, each priced on its own shape (shape is the first"
                    + " segment's); nothing was started and the video was not uploaded");
        } else {
            answer = estimateOf(request, frames).toJson();
            segments.ifPresent(one -> answer.set("segments", SegmentJson.write(one, request.seed() != null)));
            answer.put("note", "the price of this shape; nothing was started and the video was not uploaded");
        }
        plan.ifPresent(p -> answer.set("framing", FramingJson.write(p)));
        return new Answer(200, answer);
    }

    /** The request's estimate; its frames read from the video's headers when it matches them. */
    private Estimate estimateOf(OutpaintRequest request, Optional<InputVideos.Video> video) {
        return estimateOf(request, () -> video.map(v -> services.inputs().frames(v)).orElse(OptionalInt.empty()));
    }

    /** The request's estimate; {@code frames} asked only when it matches the input's frame count. */
    private Estimate estimateOf(OutpaintRequest request, java.util.function.Supplier<OptionalInt> frames) {
        return priced(() -> services.pricing().estimate(PriceShape.of(request, frames)));
    }

    /** A price asked, its failures as the API answers them. */
    private <T> T priced(java.util.function.Supplier<T> ask) {
        try {
            return ask.get();
        } catch (PriceShape.UnknownFramesException e) {
            FieldError field = FieldError.problem("request.matchInputNumFrames", e.getMessage());
            throw new ApiError(422, "FRAMES_UNKNOWN", field.message(), List.of(field));
        } catch (InvalidInputException e) {
            FieldError field = FieldError.problem("video.key", e.getMessage());
            throw new ApiError(422, "INVALID_INPUT", field.message(), List.of(field));
        } catch (io.outpaint.scenario.ScenarioThrottledException e) {
            throw new ApiError(429, "SCENARIO_BUSY", "Scenario is limiting requests; try again later");
        } catch (io.outpaint.scenario.ScenarioValidationException e) {
            throw new ApiError(422, "SCENARIO_REFUSED_REQUEST", e.getMessage());
        }
    }

    /**
     * The estimate a new job records when its shape is known at creation (its video there, or frames not
     * taken from it); empty otherwise, or when pricing fails: a job is not refused for want of an estimate.
     */
    private Optional<Integer> estimateAtCreation(OutpaintRequest request, Optional<InputVideos.Video> video) {
        if (request.matchInputNumFrames() && video.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(estimateOf(request, video).creativeUnits());
        } catch (RuntimeException e) {
            LOG.warn("no estimate for the new job ({}); it is recorded without one", e.toString());
            return Optional.empty();
        }
    }

    /** The video's headers, read; a clip over {@code MAX_INPUT_SECONDS} is a 422 naming the limit and its length. */
    private VideoProbe.Video probedWithinLimit(InputVideos.Video video) {
        VideoProbe.Video probed;
        try {
            probed = services.inputs().probe(video);
        } catch (InvalidInputException e) {
            FieldError field = FieldError.problem("video.key", e.getMessage());
            throw new ApiError(422, "INVALID_INPUT", field.message(), List.of(field));
        }
        new InputLength(services.config().maxInputDuration()).problemWith(probed, "video.key").ifPresent(f -> {
            throw new ApiError(422, "INPUT_TOO_LONG", f.message(), List.of(f));
        });
        return probed;
    }

    /** How the clip would be cut into generations (no scene changes yet: those are read from the whole file, by the job). */
    private Optional<SegmentPlan> segmentPlan(VideoProbe.Video probed, OutpaintRequest request) {
        long seed = request.seed() != null ? request.seed() : 0;
        return InputLength.plan(probed, request.matchInputFramesPerSecond(), request.framesPerSecond(), segmentRules(), seed);
    }

    private SegmentRules segmentRules() {
        return SegmentRules.model(services.config().segmentOverlapFrames());
    }

    /** The plan's price, each segment on its own shape (cached, or a dry run), summed; failures as the API answers them. */
    private SegmentPricing.Priced segmentsPrice(OutpaintRequest request, SegmentPlan plan) {
        return priced(() -> SegmentPricing.price(request, plan, shape -> Optional.of(services.pricing().estimate(shape))).orElseThrow());
    }

    /** A new parent's estimate, the sum of its segments'; empty when pricing fails (a job is not refused for want of one). */
    private Optional<Integer> segmentsAtCreation(OutpaintRequest request, SegmentPlan plan) {
        try {
            return SegmentPricing.price(request, plan, shape -> Optional.of(services.pricing().estimate(shape)))
                    .map(SegmentPricing.Priced::creativeUnits);
        } catch (RuntimeException e) {
            LOG.warn("no estimate for the new job's {} segments ({}); it is recorded without one", plan.count(), e.toString());
            return Optional.empty();
        }
    }

    /** The plan for the request's target on a video of this frame size; a target the video cannot serve is a 422 naming the field. */
    private FramingPlan framing(VideoProbe.Video video, Target target) {
        try {
            return io.outpaint.request.TargetPlanner.plan(video.width(), video.height(), target);
        } catch (io.outpaint.request.InvalidRequestException e) {
            List<FieldError> fields = e.errors().stream().map(f -> new FieldError("request." + f.field(), f.value(), f.allowed())).toList();
            throw new ApiError(422, "TARGET_UNREACHABLE", fields.get(0).message(), fields);
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
        Optional<String> position = Optional.ofNullable(query.get("nextToken")).map(t -> tokens.open(status, t));
        JobStore.Page page;
        try {
            page = services.jobs().list(status, limit, position);
        } catch (io.outpaint.store.InvalidPageTokenException e) {
            throw new ApiError(400, "INVALID_NEXT_TOKEN", "nextToken: " + e.getMessage(),
                    List.of(new FieldError("nextToken", null, e.getMessage())));
        }
        boolean withSegments = includeSegments(query.get("includeSegments"));
        List<Job> shown = page.jobs().stream().filter(j -> withSegments || !Segments.isSegment(j)).toList();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode jobs = body.putArray("jobs");
        var places = services.queue().describeAll(shown);
        shown.forEach(j -> jobs.add(view(j, false, Optional.ofNullable(places.get(j.jobId())))));
        page.nextToken().ifPresent(t -> body.put("nextToken", tokens.seal(status, t)));
        return new Answer(200, body);
    }

    /** {@code includeSegments}: a long clip's segments are jobs of their own, listed only when asked. */
    private static boolean includeSegments(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiError.badField("includeSegments", value, "true or false");
    }

    /**
     * A parent's segments, canceled with it: those waiting leave the queue; those running are recorded CANCELED and
     * their executions stopped (Scenario may still finish and bill a job it had started). Every record is written
     * before any slot is given back: a slot freed while a sibling still waited would admit it. The running ones' ids.
     */
    private List<String> cancelSegments(Job parent) {
        List<Job> canceled = new java.util.ArrayList<>();
        for (Segments.Item item : Segments.items(parent)) {
            Optional<Job> segment = services.jobs().find(item.jobId());
            if (segment.isEmpty() || segment.get().status().isTerminal()) {
                continue;
            }
            Job written = services.jobs().update(item.jobId(), j -> j.status().isTerminal() ? j
                    : j.moveTo(JobStatus.CANCELED, services.clock().instant(), "its parent " + parent.jobId() + " was canceled"));
            if (written.status() == JobStatus.CANCELED) {
                canceled.add(written);
            }
        }
        List<String> running = new java.util.ArrayList<>();
        for (Job segment : canceled) {
            if (segment.scenario().jobId() != null) {
                running.add(segment.jobId());
            }
            stop(segment);
            services.admission().release(segment.jobId());
        }
        return running;
    }

    private void stop(Job job) {
        if (job.executionArn() != null) {
            try {
                services.sfn().stopExecution(b -> b.executionArn(job.executionArn()).error("Canceled").cause("canceled through the API"));
            } catch (ExecutionDoesNotExistException e) {
                // never started: nothing to stop
            }
        }
    }

    /**
     * {@code POST /jobs/{id}/cancel}: records CANCELED, stops the execution and gives the slot to the
     * next job. Once Scenario's part is done (COPYING, FINISHING) it is too late: the results are on
     * their way. The record's conditional write decides a race with the copy: the cancel written
     * first, the copy finds the job ended and copies nothing; the copy's COPYING first, the cancel is
     * answered as too late.
     */
    public Answer cancel(String jobId) {
        Job job = find(jobId);
        if (job.status().isTerminal()) {
            throw new ApiError(409, "ALREADY_ENDED", "job " + jobId + " has ended already: " + job.status());
        }
        if (job.status().isPastScenario()) {
            throw tooLate(job);
        }
        // the record first: the execution's own end (ABORTED) then finds the job ended and changes nothing
        Job canceled = services.jobs().update(jobId, j -> j.status().isTerminal() || j.status().isPastScenario() ? j
                : j.moveTo(JobStatus.CANCELED, services.clock().instant(), "canceled through the API"));
        if (canceled.status().isPastScenario()) {
            throw tooLate(canceled);
        }
        if (canceled.status() != JobStatus.CANCELED) {
            throw new ApiError(409, "ALREADY_ENDED", "job " + jobId + " ended as " + canceled.status() + " before it could be canceled");
        }
        stop(canceled);
        // a parent's segments before its own slot: each one's record is written before a freed slot could admit it
        List<String> runningSegments = Segments.isParent(canceled) ? cancelSegments(canceled) : List.of();
        services.admission().release(jobId);
        ObjectNode body = view(canceled, false);
        body.put("note", Segments.isParent(canceled)
                ? "canceled here with its segments: those waiting left the queue" + (runningSegments.isEmpty() ? ""
                        : "; Scenario cannot cancel custom-model jobs, so the " + runningSegments.size()
                        + " segment(s) it was generating may still finish and be billed")
                : CANCEL_NOTE);
        return new Answer(200, body);
    }

    /**
     * {@code POST /jobs/{id}/segments/{n}/retry}: segment {@code n} (from 1) of a long clip generated again with a new
     * seed, and the clip joined again over the other segments' generations (see {@link SegmentRetry}).
     */
    public Answer retrySegment(String jobId, String n, JsonNode body, Optional<String> idempotencyKey) {
        SegmentRetry.Retried retried = new SegmentRetry(services, starter).retry(find(jobId), n, body, idempotencyKey);
        ObjectNode answer = view(retried.parent(), false);
        ObjectNode retry = answer.putObject("retry").put("segment", retried.retry().segment()).put("jobId", retried.retry().jobId())
                .put("previousJobId", retried.retry().previousJobId()).put("previousSeed", retried.retry().previousSeed())
                .put("seed", retried.retry().seed()).put("at", retried.retry().at());
        if (!retried.requeued().isEmpty()) {
            retry.set("alsoQueued", JSON.valueToTree(retried.requeued()));
        }
        answer.put("note", "segment " + retried.retry().segment() + " is generated again with seed " + retried.retry().seed()
                + " as job " + retried.retry().jobId() + ", then the clip is joined again; the other segments' generations are"
                + " reused, and the current outputs stay until the new join replaces them");
        return new Answer(202, answer);
    }

    private static ApiError tooLate(Job job) {
        return new ApiError(409, "TOO_LATE_TO_CANCEL", "job " + job.jobId() + " is " + job.status() + ": Scenario has generated"
                + " (and billed) it, and its results are being " + (job.status() == JobStatus.COPYING ? "copied" : "finished")
                + "; it ends on its own shortly");
    }

    /**
     * A parent's segments: how many, how many succeeded, and each one's job and status (read from the segment's own
     * record when {@code details}, as the parent's items hold the status last recorded there), with its frames.
     */
    private ObjectNode segmentsView(Job parent, boolean details) {
        ObjectNode view = JSON.createObjectNode();
        view.put("count", Segments.count(parent));
        view.put("succeeded", parent.segments().path("succeeded").asInt());
        view.put("overlapFrames", Segments.plan(parent).path("overlapFrames").asInt());
        ArrayNode items = view.putArray("items");
        var each = Segments.plan(parent).path("each");
        for (Segments.Item item : Segments.items(parent)) {
            JobStatus status = details ? services.jobs().find(item.jobId()).map(Job::status).orElse(item.status()) : item.status();
            ObjectNode o = items.addObject().put("index", item.index()).put("jobId", item.jobId()).put("attempt", item.attempt())
                    .put("status", status.name());
            var planned = each.path(item.index());
            o.put("firstFrame", planned.path("firstFrame").asLong()).put("endFrame", planned.path("endFrame").asLong());
            o.put("seed", Segments.seedOf(parent, item.index()));
        }
        List<Segments.Retry> retries = Segments.retries(parent);
        if (!retries.isEmpty()) {
            ArrayNode list = view.putArray("retries");
            for (Segments.Retry r : retries) {
                list.addObject().put("segment", r.segment()).put("at", r.at()).put("jobId", r.jobId()).put("previousJobId", r.previousJobId())
                        .put("previousSeed", r.previousSeed()).put("seed", r.seed());
            }
        }
        return view;
    }

    private Job find(String jobId) {
        if (jobId == null || !jobId.matches(io.outpaint.job.JobIds.PATTERN)) {
            throw new ApiError(404, "NOT_FOUND", "no job " + TextRules.echoed(String.valueOf(jobId)));
        }
        return services.jobs().find(jobId).orElseThrow(() -> new ApiError(404, "NOT_FOUND", "no job " + jobId));
    }

    /** A job as the API shows it; with details, its history and presigned URLs of its outputs. */
    ObjectNode view(Job job, boolean details) {
        return view(job, details, services.queue().describe(job));
    }

    /** A job as the API shows it, with its place in the queue and ETA where it has them. */
    private ObjectNode view(Job job, boolean details, Optional<io.outpaint.queue.QueueView.Place> place) {
        ObjectNode body = JSON.createObjectNode();
        body.put("jobId", job.jobId());
        body.put("status", job.status().name());
        body.put("progress", job.progress());
        body.put("createdAt", job.createdAt().toString());
        body.put("updatedAt", job.updatedAt().toString());
        if (job.source() != null) {
            ObjectNode input = body.putObject("input").put("bucket", job.source().bucket()).put("key", job.source().key());
            // records from before the name was kept show their key's last part, as they would have recorded it
            String name = job.inputName() != null ? job.inputName() : Job.nameIn(job.source().key());
            if (name != null) {
                input.put("name", name);
            }
            if (job.source().ignoredMetadata() != null) {
                job.source().ignoredMetadata().forEach(input.putArray("ignoredMetadata")::add);
            }
        }
        // lists carry the request too: its prompt is what tells jobs apart beside the file's name
        if (job.request() != null) {
            body.set("request", job.request());
        }
        if (job.error() != null) {
            body.set("error", JobDocument.tree(job.error()));
        }
        // a parent's own billing is its estimate (its segments'); what Scenario billed is on its segments, summed here
        Job.Billing billing = details && Segments.isParent(job) ? job.billingOrNone().withBilled(Segments.billed(job,
                services.jobs()::find).orElse(null)) : job.billing();
        if (billing != null && !billing.equals(Job.Billing.NONE)) {
            body.set("billing", JobDocument.tree(billing));
        }
        place.ifPresent(q -> body.setAll((ObjectNode) JSON.valueToTree(q)));
        if (Segments.isParent(job)) {
            body.set("segments", segmentsView(job, details));
        }
        Segments.segmentOf(job).ifPresent(of -> body.putObject("segmentOf").put("parent", of.parent()).put("index", of.index())
                .put("count", of.count()).put("attempt", of.attempt()));
        ObjectNode links = body.putObject("links");
        links.put("self", "/jobs/" + job.jobId());
        links.put("cancel", "/jobs/" + job.jobId() + "/cancel");
        if (SegmentRetry.offered(job)) {
            // a template: {n} is the segment's number, from 1 to segments.count
            links.put("retrySegment", "/jobs/" + job.jobId() + "/segments/{n}/retry");
        }
        if (details) {
            if (job.source() != null && job.source().bucket() != null && job.source().key() != null) {
                ((ObjectNode) body.get("input")).put("url", presigner.get().presignGetObject(p -> p.signatureDuration(URL_LIFETIME)
                        .getObjectRequest(g -> g.bucket(job.source().bucket()).key(job.source().key()))).url().toString());
            }
            if (job.framing() != null) {
                body.set("framing", job.framing());
            }
            if (job.finish() != null) {
                body.set("finish", job.finish());
            }
            if (job.scenario().jobId() != null) {
                body.putObject("scenario").put("jobId", job.scenario().jobId());
            }
            body.set("history", JobDocument.history(job.history()));
        }
        // lists carry the outputs too (a page shows each result): presigning is a local signature, no call
        if (details || !job.outputs().isEmpty()) {
            ArrayNode outputs = body.putArray("outputs");
            for (Job.Output out : job.outputs()) {
                ObjectNode o = JobDocument.tree(out);
                o.put("url", presigner.get().presignGetObject(p -> p.signatureDuration(URL_LIFETIME)
                        .getObjectRequest(g -> g.bucket(out.bucket()).key(out.key()))).url().toString());
                outputs.add(o);
            }
        }
        return body;
    }
}
