package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.request.FramingJson;
import io.outpaint.request.FramingPlan;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.Target;
import io.outpaint.request.TargetPlanner;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.store.JobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Streams the admitted job's video from S3 to Scenario, once: a job whose record has the asset id
 * already skips the upload. The request is kept as validated, defaults included, so the record
 * says exactly what Scenario was asked. A request with a target is planned here, where the video's frame size
 * is first read (its headers, by ranged reads), and the plan is kept in the record for Submit and the API.
 */
public final class UploadInput implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(UploadInput.class);

    private final JobStore jobs;
    private final InputVideos inputs;
    private final ScenarioClient scenario;
    private final String bucket;
    private final Clock clock;
    private final io.outpaint.segments.InputLength length;
    private final io.outpaint.segments.SegmentRules segmentRules;

    public UploadInput(JobStore jobs, InputVideos inputs, ScenarioClient scenario, String bucket, Clock clock) {
        this(jobs, inputs, scenario, bucket, java.time.Duration.ofSeconds(Long.MAX_VALUE / 1000), clock);
    }

    /** With the longest clip the deployment takes ({@code MAX_INPUT_SECONDS}): a longer one fails before it is uploaded. */
    public UploadInput(JobStore jobs, InputVideos inputs, ScenarioClient scenario, String bucket, java.time.Duration maxInputDuration,
                       Clock clock) {
        this(jobs, inputs, scenario, bucket, maxInputDuration, null, clock);
    }

    /**
     * With {@code segmentRules}: a clip longer than one generation is not uploaded but becomes a parent of segment
     * jobs (SPLITTING, outcome SPLIT), planned from its headers; the Split step cuts it.
     */
    public UploadInput(JobStore jobs, InputVideos inputs, ScenarioClient scenario, String bucket, java.time.Duration maxInputDuration,
                       io.outpaint.segments.SegmentRules segmentRules, Clock clock) {
        this.segmentRules = segmentRules;
        this.length = new io.outpaint.segments.InputLength(maxInputDuration);
        this.jobs = jobs;
        this.inputs = inputs;
        this.scenario = scenario;
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = jobs.get(jobId);
        ObjectNode validated = OutpaintRequest.fromJson(job.request()).toJson();
        if (!validated.equals(job.request())) {
            job = jobs.update(job, j -> j.withRequest(validated, clock.instant()));
        }
        OutpaintRequest request = OutpaintRequest.fromJson(job.request());
        if (request.target().isPresent() && job.framing() == null) {
            // planned before the upload: a target this video cannot serve is refused before anything is spent
            FramingPlan plan = plan(inputs, describeInput(inputs, job.source(), bucket), request.target().get());
            LOG.info("framing {} as {}", request.target().get().aspectRatio(), FramingJson.write(plan));
            job = jobs.update(job, j -> j.withFraming(FramingJson.write(plan), clock.instant()));
        }
        if (job.status() == JobStatus.SPLITTING) {
            return StepState.of(jobId).with(StepOutcome.SPLIT); // resumed: the split goes on
        }
        if (job.scenario().videoAssetId() != null) {
            LOG.info("input already uploaded as {}", job.scenario().videoAssetId());
            return StepState.of(jobId);
        }
        InputVideos.Video video = describeInput(inputs, job.source(), bucket);
        Optional<io.outpaint.segments.SegmentPlan> split = refuseIfTooLong(video).flatMap(probed -> splitPlan(probed, jobId, request))
                .filter(io.outpaint.segments.SegmentPlan::isSplit);
        if (split.isPresent() && !io.outpaint.segments.Segments.isSegment(job)) {
            io.outpaint.segments.SegmentPlan plan = split.get();
            jobs.update(job, j -> j.withSegments(io.outpaint.segments.Segments.planned(plan), clock.instant())
                    .moveTo(JobStatus.SPLITTING, clock.instant(), plan.count() + " segments of at most " + segmentRules.maxFrames()
                            + " generated frames"));
            LOG.info("the clip ({} frames at {} fps) is longer than one generation: {} segments", plan.sourceFrames(), plan.sourceFps(),
                    plan.count());
            return StepState.of(jobId).with(StepOutcome.SPLIT);
        }
        job = jobs.update(job, j -> j.moveTo(JobStatus.UPLOADING, clock.instant(),
                video.size() + " bytes from s3://" + video.bucket() + "/" + video.key()));
        String assetId;
        try (InputStream in = inputs.open(video)) {
            long step = Math.max(video.size() / 10, 1);
            long[] next = {step};
            assetId = scenario.uploadVideo(video.fileName(), video.contentType(), in, video.size(), sent -> {
                if (sent >= next[0]) {
                    LOG.info("uploaded {} of {} bytes to Scenario", sent, video.size());
                    next[0] = sent + step;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + video.bucket() + "/" + video.key() + " failed", e);
        }
        MDC.put("videoAssetId", assetId);
        Instant uploaded = clock.instant();
        jobs.update(job, j -> j.withScenario(j.scenario().withVideoAssetId(assetId), uploaded)
                .withSource(new Job.Source(j.source().type(), video.bucket(), video.key(), video.versionId(),
                        video.etag(), video.size(), video.contentType(), j.source().ignoredMetadata()), uploaded));
        return StepState.of(jobId);
    }

    /**
     * A clip longer than the deployment takes fails here, on every path a job comes by (the API's checks
     * its key at creation; an S3 upload or a staged one is first read here), before anything is sent to
     * Scenario. A video whose headers cannot be read is left to Scenario's own checks, as before.
     */
    private Optional<io.outpaint.media.VideoProbe.Video> refuseIfTooLong(InputVideos.Video video) {
        io.outpaint.media.VideoProbe.Video probed;
        try {
            probed = inputs.probe(video);
        } catch (InvalidInputException e) {
            LOG.info("the input's length is not known from its headers ({}); Scenario checks it", e.getMessage());
            return Optional.empty();
        }
        length.problemWith(probed, "video").ifPresent(problem -> {
            throw new InvalidInputException(problem.message());
        });
        return Optional.of(probed);
    }

    /** How the clip is cut into generations, from its headers (the Split step moves cuts onto scene changes). */
    private Optional<io.outpaint.segments.SegmentPlan> splitPlan(io.outpaint.media.VideoProbe.Video probed, String jobId,
                                                                 OutpaintRequest request) {
        if (segmentRules == null) {
            return Optional.empty();
        }
        long seed = io.outpaint.segments.SegmentPlanner.seedFor(Optional.ofNullable(request.seed()), jobId);
        return io.outpaint.segments.InputLength.plan(probed, request.matchInputFramesPerSecond(), request.framesPerSecond(),
                segmentRules, seed);
    }

    /** The plan that reaches {@code target} from the video's probed frame size. */
    public static FramingPlan plan(InputVideos inputs, InputVideos.Video video, Target target) {
        io.outpaint.media.VideoProbe.Video probed = inputs.probe(video);
        return TargetPlanner.plan(probed.width(), probed.height(), target);
    }

    /** The job's input video, described (a video, there, its size): refused if the job names none, or one outside {@code bucket}. */
    static InputVideos.Video describeInput(InputVideos inputs, Job.Source source, String bucket) {
        if (source == null || source.bucket() == null || source.key() == null) {
            throw new InvalidInputException("the job names no input video (video.bucket and video.key)");
        }
        if (!source.bucket().equals(bucket)) {
            throw new InvalidInputException("the input video must be in the bucket " + bucket);
        }
        return inputs.describe(source.bucket(), source.key(), source.versionId());
    }
}
