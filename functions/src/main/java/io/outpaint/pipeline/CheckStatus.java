package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.queue.Admission;
import io.outpaint.queue.JobDurations;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One look at the Scenario job: records its progress, and says what comes next: RUNNING (with
 * the delay before the next look), SCENARIO_SUCCEEDED, FAILED, CANCELED, or TIMED_OUT when the job
 * has run past the maximum polling time. A success adds the job's time to its shape's durations.
 * Once Scenario's job has ended, its slot goes to the next job at once: copying the results
 * takes nothing from Scenario's limit on jobs running.
 */
public final class CheckStatus implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(CheckStatus.class);

    private final JobStore jobs;
    private final ScenarioClient scenario;
    private final PollSchedule schedule;
    private final Duration maxPollTime;
    private final JobDurations durations;
    private final Admission admission;
    private final Clock clock;

    public CheckStatus(JobStore jobs, ScenarioClient scenario, PollSchedule schedule, Duration maxPollTime,
                       JobDurations durations, Admission admission, Clock clock) {
        this.admission = admission;
        this.jobs = jobs;
        this.scenario = scenario;
        this.schedule = schedule;
        this.maxPollTime = maxPollTime;
        this.durations = durations;
        this.clock = clock;
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = jobs.get(jobId);
        if (job.status().isTerminal()) {
            return state.ended(StepOutcome.valueOf(job.status().name()), null); // canceled (or ended) while we waited
        }
        MDC.put("scenarioJobId", job.scenario().jobId());
        ScenarioJob scenarioJob = scenario.getJob(job.scenario().jobId());
        Instant now = clock.instant();
        long submittedAt = state.submittedAtMillis() != null ? state.submittedAtMillis()
                : job.scenario().submittedAt() != null ? job.scenario().submittedAt().toEpochMilli() : now.toEpochMilli();
        Duration elapsed = Duration.ofMillis(now.toEpochMilli() - submittedAt);
        if (scenarioJob.status().isFinal()) {
            recordBilled(job, scenarioJob, now);
        }
        switch (scenarioJob.status()) {
            case SUCCESS:
                LOG.info("Scenario job {} succeeded with {} result(s)", scenarioJob.id(), scenarioJob.assetIds().size());
                // Scenario's own time, not ours: the delay before this look saw the end (longer under load) would
                // otherwise feed into the next job's first look, which would come later, and so on
                durations.record(JobDurations.shapeOf(job.request()), scenarioJob.succeededAfter().orElse(elapsed));
                admission.release(jobId);
                return state.ended(StepOutcome.SCENARIO_SUCCEEDED, null);
            case FAILURE:
                if (!io.outpaint.segments.Segments.isSegment(job)) {
                    // a segment keeps its slot until RecordFailure has queued its second attempt, which then runs next
                    admission.release(jobId);
                }
                return state.ended(StepOutcome.FAILED, new StepState.Failure("SCENARIO_JOB_FAILED",
                        scenarioJob.error().orElse("Scenario reported a failure without a reason"), scenarioJob.hint().orElse(null)));
            case CANCELED:
                admission.release(jobId);
                return state.ended(StepOutcome.CANCELED, new StepState.Failure("SCENARIO_JOB_CANCELED",
                        "the job was canceled on Scenario's side", null));
            case IN_PROGRESS:
            case FINALIZING:
                jobs.update(job, j -> j.moveTo(JobStatus.RUNNING, now, null).withProgress(scenarioJob.progress(), now));
                break;
            default:
                jobs.update(job, j -> j.withProgress(scenarioJob.progress(), now));
        }
        if (elapsed.compareTo(maxPollTime) > 0) {
            return state.ended(StepOutcome.TIMED_OUT, new StepState.Failure("TIMED_OUT", "Scenario job " + scenarioJob.id()
                    + " was still " + scenarioJob.status().wire() + " after " + elapsed.toSeconds() + " s (the limit is "
                    + maxPollTime.toSeconds() + " s)", null));
        }
        PollSchedule.Observation seen = new PollSchedule.Observation(scenarioJob.progress(), now.toEpochMilli());
        int expected = state.expectedSeconds() == null ? 0 : state.expectedSeconds();
        int delay = schedule.next(state.observation(), seen,
                state.nextDelaySeconds() == null ? schedule.first() : state.nextDelaySeconds(), elapsed.toMillis() / 1000.0, expected,
                scenarioJob.inProgressAfter().map(after -> submittedAt + after.toMillis()).orElse(0L));
        LOG.info("Scenario job {} is {} at {}%; next look in {} s", scenarioJob.id(), scenarioJob.status().wire(),
                Math.round(scenarioJob.progress() * 100), delay);
        return state.polling(delay, seen, submittedAt, expected);
    }

    /** What Scenario billed for its ended job, on the record before the slot is given back (a repeated look writes nothing). */
    private void recordBilled(Job job, ScenarioJob scenarioJob, Instant now) {
        if (scenarioJob.billing().isEmpty()) {
            LOG.warn("Scenario job {} ended without a readable billing; its cost is not recorded", scenarioJob.id());
            return;
        }
        int billed = scenarioJob.billing().get().billed(scenarioJob.status());
        jobs.update(job, j -> Integer.valueOf(billed).equals(j.billingOrNone().billed()) ? j
                : j.withBilling(j.billingOrNone().withBilled(billed), now));
        LOG.info("Scenario job {} ended {}: {} creative units billed (estimate {})", scenarioJob.id(), scenarioJob.status().wire(),
                billed, job.billingOrNone().estimate());
    }
}
