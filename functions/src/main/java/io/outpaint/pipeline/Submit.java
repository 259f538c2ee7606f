package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.JobPage;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.queue.JobDurations;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Starts the Scenario job of an admitted job (it holds a slot), safely under retries: the record
 * says SUBMITTING before the POST, and a retry that finds SUBMITTING with no Scenario job id first
 * looks for the job in Scenario's list (matching the echoed input). The first status check is
 * timed from how long finished jobs of the same shape took.
 */
public final class Submit implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(Submit.class);
    private static final int PAGES_TO_SEARCH = 5;

    private final JobStore jobs;
    private final ScenarioClient scenario;
    private final PollSchedule schedule;
    private final JobDurations durations;
    private final Clock clock;

    public Submit(JobStore jobs, ScenarioClient scenario, PollSchedule schedule, JobDurations durations, Clock clock) {
        this.jobs = jobs;
        this.scenario = scenario;
        this.schedule = schedule;
        this.durations = durations;
        this.clock = clock;
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = jobs.get(jobId);
        if (job.scenario().jobId() != null) {
            LOG.info("already submitted as Scenario job {}", job.scenario().jobId());
            return polling(job, job.scenario().submittedAt());
        }
        String assetId = job.scenario().videoAssetId();
        OutpaintRequest request = framed(job);

        if (job.status() == JobStatus.SUBMITTING) {
            Optional<ScenarioJob> earlier = findEarlierSubmission(job, request);
            if (earlier.isPresent()) {
                LOG.info("found Scenario job {} from an earlier attempt; not posting again", earlier.get().id());
                return recordSubmitted(job, earlier.get());
            }
        } else {
            job = jobs.update(job, j -> j.moveTo(JobStatus.SUBMITTING, clock.instant(), null)
                    .withScenario(j.scenario().withSubmitting(clock.instant()), clock.instant()));
        }
        ScenarioJob created = scenario.generate(request, assetId);
        return recordSubmitted(job, created);
    }

    /** The request Scenario is sent: a target's plan, made by UploadInput, applied to the model's inputs. */
    static OutpaintRequest framed(Job job) {
        OutpaintRequest request = OutpaintRequest.fromJson(job.request());
        if (request.target().isEmpty()) {
            return request;
        }
        if (job.framing() == null) {
            throw new IllegalStateException("job " + job.jobId() + " has a target but no framing plan; UploadInput makes it");
        }
        return request.framed(io.outpaint.request.FramingJson.read(job.framing()));
    }

    private StepState recordSubmitted(Job job, ScenarioJob scenarioJob) {
        MDC.put("scenarioJobId", scenarioJob.id());
        Instant now = clock.instant();
        jobs.update(job, j -> j.withScenario(j.scenario().withJob(scenarioJob.id(), now), now)
                .moveTo(JobStatus.SUBMITTED, now, "Scenario job " + scenarioJob.id()));
        return polling(job, now);
    }

    private StepState polling(Job job, Instant submittedAt) {
        PollSchedule.Observation submitted = new PollSchedule.Observation(0, clock.millis());
        int expected = durations.typical(JobDurations.shapeOf(job.request())).map(t -> (int) Math.min(t.toSeconds(), 86_400)).orElse(0);
        int first = expected > 0 ? schedule.firstFor(expected) : schedule.first();
        return StepState.of(job.jobId()).polling(first, submitted, submittedAt.toEpochMilli(), expected);
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
            JobPage jobs = scenario.listJobs(null, 50, token);
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
