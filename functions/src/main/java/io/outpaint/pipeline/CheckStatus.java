package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.scenario.ScenarioJob;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One look at the Scenario job: records its progress, and says what comes next: RUNNING (with
 * the delay before the next look), SUCCESS, FAILURE, CANCELED, or TIMED_OUT when the job has
 * run past the maximum polling time.
 */
public final class CheckStatus {

    private static final Logger LOG = LoggerFactory.getLogger(CheckStatus.class);

    private final PipelineServices services;

    public CheckStatus(PipelineServices services) {
        this.services = services;
    }

    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = services.jobs().get(jobId);
        if (job.status().isTerminal()) {
            return state.ended(job.status().name(), null); // canceled (or ended) while we waited
        }
        MDC.put("scenarioJobId", job.scenario().jobId());
        ScenarioJob scenarioJob = services.scenario().getJob(job.scenario().jobId());
        Instant now = services.clock().instant();
        switch (scenarioJob.status()) {
            case SUCCESS:
                LOG.info("Scenario job {} succeeded with {} result(s)", scenarioJob.id(), scenarioJob.assetIds().size());
                return state.ended("SUCCESS", null);
            case FAILURE:
                return state.ended("FAILURE", new StepState.Failure("SCENARIO_JOB_FAILED",
                        scenarioJob.error().orElse("Scenario reported a failure without a reason"), scenarioJob.hint().orElse(null)));
            case CANCELED:
                return state.ended("CANCELED", new StepState.Failure("SCENARIO_JOB_CANCELED",
                        "the job was canceled on Scenario's side", null));
            case IN_PROGRESS:
            case FINALIZING:
                services.jobs().update(jobId, j -> j.moveTo(JobStatus.RUNNING, now, null).withProgress(scenarioJob.progress(), now));
                break;
            default:
                services.jobs().update(jobId, j -> j.withProgress(scenarioJob.progress(), now));
        }
        long submittedAt = state.submittedAtMillis() != null ? state.submittedAtMillis()
                : job.scenario().submittedAt() != null ? job.scenario().submittedAt().toEpochMilli() : now.toEpochMilli();
        Duration elapsed = Duration.ofMillis(now.toEpochMilli() - submittedAt);
        if (elapsed.compareTo(services.config().maxPollTime()) > 0) {
            return state.ended("TIMED_OUT", new StepState.Failure("TIMED_OUT", "Scenario job " + scenarioJob.id()
                    + " was still " + scenarioJob.status().wire() + " after " + elapsed.toSeconds() + " s (the limit is "
                    + services.config().maxPollTime().toSeconds() + " s)", null));
        }
        PollSchedule.Observation seen = new PollSchedule.Observation(scenarioJob.progress(), now.toEpochMilli());
        int delay = services.config().poll().next(state.observation(), seen,
                state.nextDelaySeconds() == null ? services.config().poll().first() : state.nextDelaySeconds(),
                elapsed.toMillis() / 1000.0);
        LOG.info("Scenario job {} is {} at {}%; next look in {} s", scenarioJob.id(), scenarioJob.status().wire(),
                Math.round(scenarioJob.progress() * 100), delay);
        return state.polling("RUNNING", delay, seen, submittedAt);
    }
}
