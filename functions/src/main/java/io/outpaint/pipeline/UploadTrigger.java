package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.StrictJson;
import io.outpaint.request.OutpaintRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A video landed under {@code inputs/}: starts its job. The model's inputs come from a sidecar
 * {@code <name>.json} beside the video, else from the object's metadata ({@code x-amz-meta-*},
 * names in any case, with or without dashes; {@code target-aspect-ratio} and {@code target-anchor} give the target;
 * {@value #METADATA_PREFIX} before a name marks it as the pipeline's, so that a misspelt one is refused),
 * else defaults. Metadata names that are not the pipeline's (another tool's, such as rclone's {@code mtime})
 * are left aside and listed in the record's {@code source.ignoredMetadata}. The job id is derived from bucket,
 * key and version (or ETag), so a duplicate event starts nothing new. A bad key, sidecar, metadata
 * value or an object that is not a video gives a FAILED job whose reason names the field, with the
 * code the API answers for the same thing (the exception type's {@link io.outpaint.job.FailureCode});
 * only an S3 outage is left to the delivery's retries.
 */
public final class UploadTrigger {

    private static final Logger LOG = LoggerFactory.getLogger(UploadTrigger.class);
    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final int MAX_SIDECAR_BYTES = 64 * 1024;
    private static final Map<String, String> FIELDS_BY_LOOSE_NAME = OutpaintRequest.FIELDS.stream()
            .collect(Collectors.toMap(UploadTrigger::loose, f -> f));
    private static final Map<String, String> TARGET_PARTS_BY_LOOSE_NAME = Map.of("targetaspectratio", "aspectRatio", "targetanchor", "anchor");
    /** Before a metadata name: the pipeline's, whatever follows (a name it does not know is refused, not left aside). */
    public static final String METADATA_PREFIX = "outpaint-";

    /** The model's inputs an upload gives, and the metadata names it left aside. */
    private record Inputs(ObjectNode params, java.util.List<String> ignoredMetadata) {}

    /** What became of one object. */
    public enum Outcome { STARTED, DUPLICATE, REFUSED, IGNORED }

    private final PipelineServices services;
    private final JobStarter starter;
    private final LandedPrice landed;

    public UploadTrigger(PipelineServices services) {
        this.services = services;
        this.starter = new JobStarter(services);
        this.landed = LandedPrice.of(services);
    }

    /** The job id of an uploaded object: the same for every delivery of the same upload. */
    public static String jobIdFor(String bucket, String key, String versionOrEtag) {
        return "s3-" + io.outpaint.job.Hashes.sha256Hex(bucket + "\n" + key + "\n" + versionOrEtag).substring(0, 32);
    }

    public Outcome onObjectCreated(String bucket, String key, String versionId, String etag) {
        if (!key.startsWith(InputVideos.PREFIX) || key.startsWith(InputVideos.STAGED) || key.toLowerCase(Locale.ROOT).endsWith(".json")) {
            return Outcome.IGNORED; // sidecars, staged uploads (POST /uploads) and other keys start nothing
        }
        String shown = io.outpaint.request.ObjectKeys.printable(key); // any key S3 takes, control characters included, logged on one line
        Optional<Outcome> awaited = onAwaitedUpload(bucket, key, versionId);
        if (awaited.isPresent()) {
            return awaited.get();
        }
        String jobId = jobIdFor(bucket, key, versionId != null && !versionId.isBlank() ? versionId : etag);
        MDC.put("jobId", jobId);
        if (services.jobs().find(jobId).isPresent()) {
            LOG.info("s3://{}/{} was delivered again; job {} exists, nothing new started", bucket, shown, jobId);
            services.admission().dispatch(); // a job whose first dispatch was lost is started now
            return Outcome.DUPLICATE;
        }
        Job.Source source = new Job.Source("s3", bucket, key, blankToNull(versionId), etag, null, null);
        ObjectNode params = JSON.createObjectNode();
        OutpaintRequest request;
        try {
            InputVideos.checkKey(key);
            InputVideos.Video video = services.inputs().describe(bucket, key, blankToNull(versionId));
            source = new Job.Source("s3", bucket, key, video.versionId(), video.etag(), video.size(), video.contentType());
            Inputs inputs = parameters(bucket, key, blankToNull(versionId));
            params = inputs.params();
            source = source.withIgnoredMetadata(inputs.ignoredMetadata());
            if (source.ignoredMetadata() != null) {
                LOG.info("s3://{}/{}: metadata left aside (not model inputs): {}", bucket, shown, source.ignoredMetadata());
            }
            request = OutpaintRequest.fromText(params);
        } catch (InvalidRequestException | InvalidInputException e) {
            // the code its type declares, as the API and the state machine's failure step read it
            return refuse(jobId, params, source, new Job.JobError(RecordFailure.codeOf(e.getClass().getName()), e.getMessage(), null));
        } catch (SdkException e) {
            if (e.retryable() || e instanceof S3Exception s3 && (s3.statusCode() >= 500 || s3.statusCode() == 429)) {
                throw e; // S3 busy or down: the delivery is retried and the record written then
            }
            return refuse(jobId, params, source, new Job.JobError("INVALID_INPUT", "the upload or its sidecar could not be read: "
                    + e.getClass().getSimpleName(), null));
        } catch (RuntimeException e) {
            // whatever else the inputs make go wrong still ends in a record, never in a dropped event
            LOG.error("s3://{}/{}: its inputs could not be read", bucket, shown, e);
            return refuse(jobId, params, source, new Job.JobError("INVALID_REQUEST", "the inputs of this upload could not be read ("
                    + e.getClass().getSimpleName() + ")", null));
        }
        Job job = Job.queued(jobId, request.toJson(), source, null, null, services.clock().instant(), services.config().retentionDays());
        boolean started = starter.start(job);
        LOG.info("s3://{}/{}: job {} {}", bucket, shown, jobId, started ? "started" : "existed already");
        return started ? Outcome.STARTED : Outcome.DUPLICATE;
    }

    /**
     * The upload an API job (still QUEUED) waits for landed at {@code key}: the video is checked, then
     * the job queued, or refused if it is not a video. A job with {@code maxCreativeUnits} is priced on the
     * video that landed ({@link LandedPrice}: a clip longer than one generation as its segments' sum) and fails
     * with {@value LandedPrice#OVER_MAX_CREATIVE_UNITS} above it, before it is queued. Empty when no job waits
     * for this key.
     */
    public Optional<Outcome> onAwaitedUpload(String bucket, String key, String versionId) {
        Optional<Job> owner = apiJobOf(key);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        if (owner.get().status() != io.outpaint.job.JobStatus.QUEUED) {
            // its upload was handed on already (an event delivered again or late, or the sweep first): no second job
            LOG.info("the upload of API job {} at s3://{}/{} was seen before; nothing new started", owner.get().jobId(), bucket, key);
            services.admission().dispatch(); // as for any event delivered again: a job whose first dispatch was lost starts now
            return Optional.of(Outcome.DUPLICATE);
        }
        Optional<Job> awaited = owner;
        MDC.put("jobId", awaited.get().jobId());
        InputVideos.Video video;
        try {
            video = services.inputs().describe(bucket, key, blankToNull(versionId)); // not a video: it fails now, it never waits
        } catch (InvalidInputException e) {
            return Optional.of(refuseAwaited(awaited.get(), bucket, key,
                    new Job.JobError(RecordFailure.codeOf(e.getClass().getName()), e.getMessage(), null)));
        }
        LandedPrice.Outcome priced = landed.check(awaited.get(), () -> probed(video), () -> services.inputs().frames(video));
        if (priced instanceof LandedPrice.Outcome.Over over) {
            return Optional.of(refuseAwaited(awaited.get(), bucket, key, over.error()));
        }
        if (priced instanceof LandedPrice.Outcome.Within within) {
            LOG.info("the upload of API job {} is priced at {} creative units{}, within its maxCreativeUnits {}", awaited.get().jobId(),
                    within.creativeUnits(), within.split().map(p -> " (" + p.count() + " segments)").orElse(""),
                    awaited.get().billingOrNone().maxCreativeUnits());
            services.jobs().update(awaited.get().jobId(), j -> j.status() != io.outpaint.job.JobStatus.QUEUED ? j
                    : LandedPrice.recorded(j, within, services.clock().instant()));
        }
        starter.enqueue(awaited.get().jobId());
        LOG.info("the upload of API job {} landed at s3://{}/{}; job queued", awaited.get().jobId(), bucket, key);
        return Optional.of(Outcome.STARTED);
    }

    /** An awaited upload's job failed with {@code error} (a record that ended meanwhile is left as it is); nothing is queued. */
    private Outcome refuseAwaited(Job job, String bucket, String key, Job.JobError error) {
        services.jobs().update(job.jobId(), j -> j.status().isTerminal() ? j
                : j.withError(error, services.clock().instant()).moveTo(io.outpaint.job.JobStatus.FAILED,
                        services.clock().instant(), error.code()));
        LOG.warn("the upload of API job {} at s3://{}/{} is refused: {} {}", job.jobId(), bucket, key, error.code(), error.message());
        return Outcome.REFUSED;
    }

    /** The landed video's headers; empty when they cannot be read (UploadInput leaves such a video to Scenario's checks). */
    private Optional<io.outpaint.media.VideoProbe.Video> probed(InputVideos.Video video) {
        try {
            return Optional.of(services.inputs().probe(video));
        } catch (InvalidInputException unreadable) {
            return Optional.empty();
        }
    }

    /** The API job whose presigned upload this is: {@code inputs/<jobId>/<file>}, recorded with this key, in any status. */
    private Optional<Job> apiJobOf(String key) {
        String[] parts = key.split("/");
        if (parts.length != 3 || !parts[1].startsWith(io.outpaint.job.JobIds.API_PREFIX)) {
            return Optional.empty();
        }
        return services.jobs().find(parts[1]).filter(j -> j.source() != null && key.equals(j.source().key()));
    }

    private Outcome refuse(String jobId, ObjectNode params, Job.Source source, Job.JobError error) {
        LOG.warn("job {} refused: {} {}", jobId, error.code(), error.message());
        Job job = Job.queued(jobId, params, source, null, null, services.clock().instant(), services.config().retentionDays());
        return starter.recordRefused(job, error) ? Outcome.REFUSED : Outcome.DUPLICATE;
    }

    /** The model's inputs for a video: its sidecar, else its metadata; the default prompt when none is given. */
    private Inputs parameters(String bucket, String key, String versionId) {
        Inputs inputs = sidecar(bucket, key).map(p -> new Inputs(p, java.util.List.of()))
                .orElseGet(() -> fromMetadata(bucket, key, versionId));
        if (!inputs.params().has("prompt")) {
            inputs.params().put("prompt", services.config().defaultPrompt());
        }
        return inputs;
    }

    private Optional<ObjectNode> sidecar(String bucket, String key) {
        int dot = key.lastIndexOf('.');
        String sidecarKey = (dot > key.lastIndexOf('/') ? key.substring(0, dot) : key) + ".json";
        if (sidecarKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > io.outpaint.request.ObjectKeys.MAX_KEY_BYTES) {
            return Optional.empty(); // longer than any S3 key: there is none (S3 would answer 400 KeyTooLong, not 404)
        }
        ResponseBytes<GetObjectResponse> bytes;
        try {
            HeadObjectResponse head = services.s3().headObject(b -> b.bucket(bucket).key(sidecarKey));
            if (head.contentLength() == null || head.contentLength() > MAX_SIDECAR_BYTES) {
                throw new InvalidRequestException(java.util.List.of(new io.outpaint.request.FieldError("(sidecar)", null,
                        sidecarKey + " is larger than " + MAX_SIDECAR_BYTES + " bytes")));
            }
            bytes = services.s3().getObjectAsBytes(b -> b.bucket(bucket).key(sidecarKey));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        Optional<JsonNode> json = StrictJson.read(bytes.asByteArray());
        if (json.isPresent() && json.get() instanceof ObjectNode object) {
            return Optional.of(object);
        }
        throw new InvalidRequestException(java.util.List.of(new io.outpaint.request.FieldError("(sidecar)", null,
                sidecarKey + " must hold exactly one JSON object of the model's inputs (UTF-8, no trailing content, no key twice)")));
    }

    /**
     * The model's inputs in the object's metadata: the names that are the pipeline's (a model input, a target part, or any
     * name after {@value #METADATA_PREFIX}); the others are another tool's, left aside and named.
     */
    private Inputs fromMetadata(String bucket, String key, String versionId) {
        Map<String, String> metadata = services.s3().headObject(b -> b.bucket(bucket).key(key).versionId(versionId)).metadata();
        ObjectNode params = JSON.createObjectNode();
        java.util.List<String> ignored = new java.util.ArrayList<>();
        new java.util.TreeMap<>(metadata).forEach((name, value) -> {
            boolean prefixed = name.toLowerCase(Locale.ROOT).startsWith(METADATA_PREFIX);
            String bare = prefixed ? name.substring(METADATA_PREFIX.length()) : name;
            // metadata is flat: target-aspect-ratio and target-anchor make the target object
            String part = TARGET_PARTS_BY_LOOSE_NAME.get(loose(bare));
            String field = FIELDS_BY_LOOSE_NAME.get(loose(bare));
            if (part != null) {
                (params.has("target") ? (ObjectNode) params.get("target") : params.putObject("target")).put(part, value);
            } else if (field != null) {
                params.put(field, value);
            } else if (prefixed) {
                params.put(name, value); // named as the pipeline's, known to none of it: refused as an unknown field, by this name
            } else {
                ignored.add(name);
            }
        });
        return new Inputs(params, ignored);
    }

    /** A name with case, dashes and underscores ignored, as S3 metadata keys arrive lower-cased. */
    private static String loose(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() || value.equals("null") ? null : value;
    }
}
