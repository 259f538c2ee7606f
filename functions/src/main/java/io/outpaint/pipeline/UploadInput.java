package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.media.InvalidInputException;
import io.outpaint.request.OutpaintRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The first step: makes sure the job has a record (executions started from the CLI have none
 * yet), checks the request and the input video, and streams the video from S3 to Scenario.
 */
public final class UploadInput {

    private static final Logger LOG = LoggerFactory.getLogger(UploadInput.class);
    public static final String JOB_ID_PATTERN = "[A-Za-z0-9_-]{1,80}";

    private final PipelineServices services;

    public UploadInput(PipelineServices services) {
        this.services = services;
    }

    public StepState run(StepState state) {
        String jobId = state.jobId();
        if (jobId == null || !jobId.matches(JOB_ID_PATTERN)) {
            throw new InvalidInputException("the job id (the execution's name) must match " + JOB_ID_PATTERN);
        }
        Instant now = services.clock().instant();
        Job job = services.jobs().find(jobId).orElseGet(() -> register(state, now));
        if (job.executionArn() == null && state.executionArn() != null) {
            job = services.jobs().update(jobId, j -> j.withExecutionArn(state.executionArn()));
        }
        // a record whose request does not validate fails here, with every bad field named; a valid one
        // is kept as validated, defaults included, so the record says exactly what Scenario was asked
        ObjectNode validated = OutpaintRequest.fromJson(job.request()).toJson();
        if (!validated.equals(job.request())) {
            job = services.jobs().update(jobId, j -> j.withRequest(validated, services.clock().instant()));
        }
        if (job.scenario().videoAssetId() != null) {
            LOG.info("input already uploaded as {}", job.scenario().videoAssetId());
            return StepState.of(jobId);
        }
        Job.Source source = job.source();
        if (source == null || source.bucket() == null || source.key() == null) {
            throw new InvalidInputException("the job names no input video (video.bucket and video.key)");
        }
        if (!source.bucket().equals(services.config().bucket())) {
            throw new InvalidInputException("the input video must be in the bucket " + services.config().bucket());
        }
        InputVideos.Video video = services.inputs().describe(source.bucket(), source.key(), source.versionId());
        services.jobs().update(jobId, j -> j.moveTo(JobStatus.UPLOADING, services.clock().instant(),
                video.size() + " bytes from s3://" + video.bucket() + "/" + video.key()));
        String assetId;
        try (InputStream in = services.inputs().open(video)) {
            long step = Math.max(video.size() / 10, 1);
            long[] next = {step};
            assetId = services.scenario().uploadVideo(video.fileName(), video.contentType(), in, video.size(), sent -> {
                if (sent >= next[0]) {
                    LOG.info("uploaded {} of {} bytes to Scenario", sent, video.size());
                    next[0] = sent + step;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + video.bucket() + "/" + video.key() + " failed", e);
        }
        MDC.put("videoAssetId", assetId);
        Instant uploaded = services.clock().instant();
        services.jobs().update(jobId, j -> j.withScenario(j.scenario().withVideoAssetId(assetId), uploaded)
                .withSource(new Job.Source(j.source().type(), video.bucket(), video.key(), video.versionId(),
                        video.etag(), video.size(), video.contentType()), uploaded));
        return StepState.of(jobId);
    }

    /** The record of a job started straight through Step Functions, from the execution's input. */
    private Job register(StepState state, Instant now) {
        StepState.VideoRef video = state.video();
        Job.Source source = video == null ? null
                : new Job.Source("execution", video.bucket(), video.key(), video.versionId(), null, null, null);
        ObjectNode request = state.request() == null ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                : state.request();
        Job job = Job.queued(state.jobId(), request, source, state.executionArn(), null, now, services.config().retentionDays());
        services.jobs().create(job);
        return services.jobs().find(state.jobId()).orElse(job);
    }
}
