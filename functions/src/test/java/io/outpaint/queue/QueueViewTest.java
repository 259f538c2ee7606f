package io.outpaint.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.InMemoryJobDurations;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Places and ETAs as the API shows them, one job at a time and a page at a time. */
class QueueViewTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemoryJobDurations durations = new InMemoryJobDurations();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final QueueView view = new QueueView(jobs, durations, slots, 2, Duration.ofSeconds(300), Clock.fixed(T0, ZoneOffset.UTC));

    /** A job created 100 s ago, submitted to Scenario as {@code scenarioJobId} 90 s ago, seen running 60 s ago. */
    private static Job runningSince90sAgo(String jobId, String scenarioJobId) {
        return Job.queued(jobId, JsonNodeFactory.instance.objectNode().put("prompt", "p"), null, null, null, T0.minusSeconds(100), 1)
                .withScenario(Job.Scenario.NONE.withJob(scenarioJobId, T0.minusSeconds(90)), T0.minusSeconds(90))
                .moveTo(JobStatus.RUNNING, T0.minusSeconds(60), null);
    }

    @Test
    void aPageGivesTheSamePlacesAsEachJobAloneWithOneCount() {
        for (int i = 0; i < 6; i++) {
            Job job = Job.queued("job-" + i, JsonNodeFactory.instance.objectNode().put("prompt", "p"), null, null, null, T0.plusSeconds(i), 1);
            jobs.create(i == 3 ? job.moveTo(JobStatus.RUNNING, T0, null) : job.moveTo(JobStatus.WAITING_FOR_SLOT, T0, null));
        }
        var newestFirst = jobs.list(Optional.empty(), 4, Optional.empty()).jobs(); // job-5 .. job-2, job-3 running
        var places = view.describeAll(newestFirst);
        for (Job job : newestFirst) {
            assertThat(Optional.ofNullable(places.get(job.jobId()))).as(job.jobId()).isEqualTo(view.describe(job));
        }
        assertThat(places.get("job-5").queuePosition()).isEqualTo(5);
        assertThat(places.get("job-2").queuePosition()).isEqualTo(3);
        assertThat(places.get("job-3").queuePosition()).isNull(); // running: an ETA, no place
        assertThat(places.get("job-3").eta()).isNotNull();
    }

    @Test
    void etasFollowTheTimeOfFinishedJobsOfTheSameShape() {
        Job job = Job.queued("next", JsonNodeFactory.instance.objectNode().put("prompt", "p"), null, null, null, T0, 1);
        jobs.create(job.moveTo(JobStatus.WAITING_FOR_SLOT, T0, null));
        slots.tryAcquire("running-1", 2);
        slots.tryAcquire("running-2", 2);
        long before = view.describe(jobs.get("next")).orElseThrow().etaSeconds();
        durations.record(JobDurations.shapeOf(job.request()), Duration.ofSeconds(60));
        long after = view.describe(jobs.get("next")).orElseThrow().etaSeconds();
        assertThat(before).isEqualTo(300 + 300); // next with 2 slots: one typical job's wait (the fallback), then its own
        assertThat(after).isEqualTo(60 + 60);
        slots.release("running-1");
        assertThat(view.describe(jobs.get("next")).orElseThrow().etaSeconds()).as("a slot is free: it runs now").isEqualTo(60);
        assertThat(view.describe(jobs.get("next")).orElseThrow().queuePosition()).isEqualTo(1);
    }

    @Test
    void aRunningJobOfAShapeNotSeenYetGetsTheEndItsProgressImplies() {
        Job submitted = runningSince90sAgo("running", "job_1");
        jobs.create(submitted.withProgress(0.02, T0.minusSeconds(30)));
        // 2% after 60 s is too little to go by: the fallback, 300 s from submission
        assertThat(view.describe(jobs.get("running")).orElseThrow().etaSeconds()).isEqualTo(300 - 90);
        jobs.update("running", j -> j.withProgress(0.5, T0.minusSeconds(10)));
        // half done 80 s after submission: 80 s more, 70 s from now
        assertThat(view.describe(jobs.get("running")).orElseThrow().etaSeconds()).isEqualTo(70);
        durations.record(JobDurations.shapeOf(submitted.request()), Duration.ofSeconds(120));
        // once the shape is known, its time: 120 s from submission
        assertThat(view.describe(jobs.get("running")).orElseThrow().etaSeconds()).isEqualTo(30);
    }

    @Test
    void aRunningJobLongerThanItsLikeGetsTheEndItsProgressImpliesNotAnEndAlreadyPast() {
        Job submitted = runningSince90sAgo("slow", "job_2");
        jobs.create(submitted.withProgress(0.6, T0.minusSeconds(30)));
        durations.record(JobDurations.shapeOf(submitted.request()), Duration.ofSeconds(45)); // its like took 45 s: 45 s ago
        // 60% 60 s after submission: 100 s in all, 10 s from now
        assertThat(view.describe(jobs.get("slow")).orElseThrow().etaSeconds()).isEqualTo(10);
        // progress that implies an end already past too says nothing better: now
        jobs.update("slow", j -> j.withProgress(0.95, T0.minusSeconds(5)));
        assertThat(view.describe(jobs.get("slow")).orElseThrow().etaSeconds()).isZero();
        // within its like's time, that time, whatever the progress says: the mean of 45 s and 200 s, 122 s
        // from submission, is 32 s from now
        durations.record(JobDurations.shapeOf(submitted.request()), Duration.ofSeconds(200));
        jobs.update("slow", j -> j.withProgress(0.1, T0.minusSeconds(5)));
        assertThat(view.describe(jobs.get("slow")).orElseThrow().etaSeconds()).isEqualTo(32);
    }
}
