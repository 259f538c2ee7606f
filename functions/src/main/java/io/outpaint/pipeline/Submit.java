package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.JobPage;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotsBusyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes a slot of the limit on Scenario jobs in flight and starts the Scenario job, safely
 * under retries: the record says SUBMITTING before the POST, and a retry that finds SUBMITTING
 * with no Scenario job id first looks for the job in Scenario's list (matching the echoed input).
 */
public final class Submit {

    private static final Logger LOG = LoggerFactory.getLogger(Submit.class);
    private static final int PAGES_TO_SEARCH = 5;

    private final PipelineServices services;

    public Submit(PipelineServices services) {
        this.services = services;
    }

    public StepState run(StepState state) {
        String jobId = state.jobId();
        JobStore jobs = services.jobs();
        Job job = jobs.get(jobId);
        if (job.scenario().jobId() != null) {
            LOG.info("already submitted as Scenario job {}", job.scenario().jobId());
            return polling(jobId, job.scenario().submittedAt());
        }
        acquireSlot(jobId);
        String assetId = job.scenario().videoAssetId();
        OutpaintRequest request = OutpaintRequest.fromJson(job.request());

        if (job.status() == JobStatus.SUBMITTING) {
            Optional<ScenarioJob> earlier = findEarlierSubmission(job, request);
            if (earlier.isPresent()) {
                LOG.info("found Scenario job {} from an earlier attempt; not posting again", earlier.get().id());
                return recordSubmitted(jobId, earlier.get());
            }
        } else {
            jobs.update(jobId, j -> j.moveTo(JobStatus.SUBMITTING, services.clock().instant(), null)
                    .withScenario(j.scenario().withSubmitting(services.clock().instant()), services.clock().instant()));
        }
        ScenarioJob created = services.scenario().generate(request, assetId);
        return recordSubmitted(jobId, created);
    }

    private StepState recordSubmitted(String jobId, ScenarioJob scenarioJob) {
        MDC.put("scenarioJobId", scenarioJob.id());
        Instant now = services.clock().instant();
        services.jobs().update(jobId, j -> j.withScenario(j.scenario().withJob(scenarioJob.id(), now), now)
                .moveTo(JobStatus.SUBMITTED, now, "Scenario job " + scenarioJob.id()));
        return polling(jobId, now);
    }

    private StepState polling(String jobId, Instant submittedAt) {
        PollSchedule schedule = services.config().poll();
        PollSchedule.Observation submitted = new PollSchedule.Observation(0, services.clock().millis());
        return StepState.of(jobId).polling("RUNNING", schedule.first(), submitted, submittedAt.toEpochMilli());
    }

    /** Takes a slot; when all are taken, frees those held by jobs that have ended, then tries once more. */
    private void acquireSlot(String jobId) {
        int limit = services.config().maxJobsInFlight();
        try {
            services.slots().acquire(jobId, limit);
        } catch (SlotsBusyException busy) {
            for (String holder : services.slots().holders()) {
                boolean ended = services.jobs().find(holder).map(j -> j.status().isTerminal()).orElse(true);
                if (ended) {
                    LOG.warn("slot held by ended job {}: released", holder);
                    services.slots().release(holder);
                }
            }
            services.slots().acquire(jobId, limit);
        }
    }

    /**
     * Scenario's list, newest first, searched for this job's submission. Each job uploads its own
     * video, so the echoed {@code videoUrl} (this job's asset id) identifies it; the prompt must match
     * too. Numbers are not compared, as an echo may spell them differently (5 and 5.0).
     */
    private Optional<ScenarioJob> findEarlierSubmission(Job job, OutpaintRequest request) {
        String assetId = job.scenario().videoAssetId();
        Instant since = Optional.ofNullable(job.scenario().submittingAt()).orElse(job.createdAt()).minus(Duration.ofMinutes(10));
        String token = null;
        for (int page = 0; page < PAGES_TO_SEARCH; page++) {
            JobPage jobs = services.scenario().listJobs(null, 50, token);
            for (ScenarioJob candidate : jobs.jobs()) {
                if (assetId.equals(candidate.input().path("videoUrl").asText())
                        && request.prompt().equals(candidate.input().path("prompt").asText())) {
                    return Optional.of(candidate);
                }
                if (candidate.createdAt() != null && candidate.createdAt().isBefore(since)) {
                    return Optional.empty();
                }
            }
            if (jobs.nextPaginationToken().isEmpty()) {
                return Optional.empty();
            }
            token = jobs.nextPaginationToken().get();
        }
        return Optional.empty();
    }
}
