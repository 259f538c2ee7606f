package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.ResultCopier;
import io.outpaint.media.ResultCopies;
import io.outpaint.queue.Admission;
import io.outpaint.request.ObjectKeys;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Copies every result of a successful Scenario job into {@code outputs/<jobId>/}, records each
 * (bytes, SHA-256, size) and gives the job's slot back. With finishing off, the job ends SUCCEEDED
 * here, its results named after their assets; with it on (the default), the first result is the
 * raw generation ({@link #RAW}) and the job moves to FINISHING for the Finish step, which ends it.
 * A retry skips the results already recorded and rewrites an unfinished one whole.
 */
public final class CopyResults implements Step {

    /** The generation's name beside the finished video. */
    public static final String RAW = "raw.mp4";

    private static final Logger LOG = LoggerFactory.getLogger(CopyResults.class);

    private final JobStore jobs;
    private final ScenarioClient scenario;
    private final ResultCopies copier;
    private final String bucket;
    private final Admission admission;
    private final Clock clock;
    private SegmentFanIn fanIn;

    public CopyResults(JobStore jobs, ScenarioClient scenario, ResultCopies copier, String bucket, Admission admission, Clock clock) {
        this.jobs = jobs;
        this.scenario = scenario;
        this.copier = copier;
        this.bucket = bucket;
        this.admission = admission;
        this.clock = clock;
    }

    /** This step, recording each segment's end in its parent ({@link SegmentFanIn}): the last one starts the join. */
    public CopyResults withFanIn(SegmentFanIn value) {
        this.fanIn = value;
        return this;
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = jobs.get(jobId);
        if (job.status().isTerminal()) {
            // run again after it ended (a retry of a copy whose answer was lost, or canceled meanwhile): nothing to copy,
            // but a segment's end may not have reached its parent
            segmentEnded(job);
            return state.ended(StepOutcome.valueOf(job.status().name()), null);
        }
        if (job.status() == JobStatus.FINISHING) {
            admission.release(jobId);
            return state.ended(StepOutcome.COPIED, null); // copied before (an answer lost, a resumed job): finish it
        }
        boolean finishing = OutpaintRequest.fromJson(job.request()).finish();
        MDC.put("scenarioJobId", job.scenario().jobId());
        ScenarioJob scenarioJob = scenario.getJob(job.scenario().jobId());
        // each write answers the job as written: the next change starts from it, no read in between. A cancel
        // written before COPYING wins (nothing is copied); once COPYING is written, a cancel is refused as too late
        job = jobs.update(job, j -> j.status().isTerminal() ? j
                : j.moveTo(JobStatus.COPYING, clock.instant(), scenarioJob.assetIds().size() + " result(s)"));
        if (job.status().isTerminal()) {
            LOG.info("job {} ended as {} before its results were copied: nothing copied", jobId, job.status());
            return state.ended(StepOutcome.valueOf(job.status().name()), null);
        }
        List<String> assetIds = scenarioJob.assetIds();
        for (int i = 0; i < assetIds.size(); i++) {
            String assetId = assetIds.get(i);
            String key = ObjectKeys.OUTPUTS_PREFIX + jobId + "/" + name(assetId, i, finishing);
            if (job.outputs().stream().anyMatch(o -> o.key().equals(key))) {
                continue;
            }
            ResultCopier.Copied copied = copier.copy(assetId, bucket, key);
            LOG.info("copied {} to s3://{}/{}: {} bytes, sha256 {}, {} resume(s)", assetId, bucket, key,
                    copied.bytes(), copied.sha256(), copied.resumes());
            var asset = copied.asset();
            Job.Output output = new Job.Output(assetId, bucket, key, copied.bytes(), copied.sha256(),
                    copied.contentType(), asset.width() > 0 ? asset.width() : null, asset.height() > 0 ? asset.height() : null,
                    asset.durationSeconds() > 0 ? asset.durationSeconds() : null);
            // an execution stopped from outside (reconciled as CANCELED) ends the job meanwhile: its record lists no result
            job = jobs.update(job, j -> j.status().isTerminal() ? j : j.withOutput(output, clock.instant()));
            if (job.status().isTerminal()) {
                LOG.warn("job {} ended as {} while its results were copied: s3://{}/{} is not recorded", jobId, job.status(), bucket, key);
                return state.ended(StepOutcome.valueOf(job.status().name()), null);
            }
        }
        JobStatus next = finishing ? JobStatus.FINISHING : JobStatus.SUCCEEDED;
        boolean[] endsNow = {false}; // as the change last applied saw it: a concurrent end makes it false
        Job ended = jobs.update(job, j -> {
            Job moved = j.moveTo(next, clock.instant(), finishing ? "finishing " + RAW : null);
            endsNow[0] = moved != j && next.isTerminal();
            return moved;
        });
        // finishing holds no Scenario slot: the next job may start while this one is finished
        admission.release(jobId);
        segmentEnded(ended);
        if (finishing) {
            return state.ended(StepOutcome.COPIED, null);
        }
        StepState done = state.ended(StepOutcome.SUCCEEDED, null);
        return endsNow[0] ? done.endedNow(JobStatus.SUCCEEDED) : done;
    }

    private void segmentEnded(Job job) {
        if (fanIn != null && job.status().isTerminal()) {
            fanIn.segmentEnded(job);
        }
    }

    /** The first result is the generation the Finish step reads; with finishing off, each keeps its asset's name. */
    static String name(String assetId, int index, boolean finishing) {
        if (!finishing) {
            return assetId + ".mp4";
        }
        return index == 0 ? RAW : "raw-" + assetId + ".mp4";
    }
}
