package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.ResultCopier;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Copies every result of a successful Scenario job into {@code outputs/<jobId>/}, records each
 * (bytes, SHA-256, size), then marks the job SUCCEEDED and gives its slot back. A retry skips the
 * results already recorded and rewrites an unfinished one whole.
 */
public final class CopyResults {

    private static final Logger LOG = LoggerFactory.getLogger(CopyResults.class);

    private final PipelineServices services;

    public CopyResults(PipelineServices services) {
        this.services = services;
    }

    public StepState run(StepState state) {
        String jobId = state.jobId();
        JobStore jobs = services.jobs();
        Job job = jobs.get(jobId);
        MDC.put("scenarioJobId", job.scenario().jobId());
        ScenarioJob scenarioJob = services.scenario().getJob(job.scenario().jobId());
        jobs.update(jobId, j -> j.moveTo(JobStatus.COPYING, services.clock().instant(),
                scenarioJob.assetIds().size() + " result(s)"));
        for (String assetId : scenarioJob.assetIds()) {
            String key = "outputs/" + jobId + "/" + assetId + ".mp4";
            if (jobs.find(jobId).orElseThrow().outputs().stream().anyMatch(o -> o.key().equals(key))) {
                continue;
            }
            ResultCopier.Copied copied = services.copier().copy(assetId, services.config().bucket(), key);
            LOG.info("copied {} to s3://{}/{}: {} bytes, sha256 {}, {} resume(s)", assetId, services.config().bucket(), key,
                    copied.bytes(), copied.sha256(), copied.resumes());
            var asset = copied.asset();
            Job.Output output = new Job.Output(assetId, services.config().bucket(), key, copied.bytes(), copied.sha256(),
                    copied.contentType(), asset.width() > 0 ? asset.width() : null, asset.height() > 0 ? asset.height() : null,
                    asset.durationSeconds() > 0 ? asset.durationSeconds() : null);
            jobs.update(jobId, j -> j.withOutput(output, services.clock().instant()));
        }
        jobs.update(jobId, j -> j.moveTo(JobStatus.SUCCEEDED, services.clock().instant(), null));
        services.slots().release(jobId);
        return state.ended("SUCCEEDED", null);
    }
}
