package io.outpaint.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user sees of the queue: a waiting job's place (1 = next) and, from the durations of
 * finished jobs of the same shape (or, for a running job of a shape not seen yet or one that has
 * run longer than its like, from its progress), when it should be done. An estimate, not a promise.
 */
public final class QueueView {

    /**
     * The fields the API adds to a job: place in the queue (waiting only), estimated end, and for a
     * job the budget holds back why (no ETA then: it waits for a period or a budget, not for slots).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Place(Long queuePosition, Instant eta, Long etaSeconds, String waitingReason) {
        Place(Long queuePosition, Instant eta, Long etaSeconds) {
            this(queuePosition, eta, etaSeconds, null);
        }
    }

    /** Below this much progress an ETA from progress is too rough; the typical time is used. */
    static final double PROGRESS_FOR_ETA = 0.05;

    private final JobStore jobs;
    private final JobDurations durations;
    private final SlotLimiter held;
    private final int slots;
    private final Duration fallback;
    private final Clock clock;

    public QueueView(JobStore jobs, JobDurations durations, SlotLimiter held, int slots, Duration fallback, Clock clock) {
        this.jobs = jobs;
        this.durations = durations;
        this.held = held;
        this.slots = slots;
        this.fallback = fallback;
        this.clock = clock;
    }

    public Optional<Place> describe(Job job) {
        return job.status().isWaiting()
                ? Optional.of(waiting(job, jobs.waitingAhead(job), held.holders().size())) : running(job);
    }

    /**
     * The places of a page of jobs with one count: a page is a contiguous stretch of creation times
     * (newest first, or the queue's own order), so every waiting job between its oldest waiting job
     * and its newest is on it, and their places follow from the first one's.
     */
    public Map<String, Place> describeAll(List<Job> page) {
        Map<String, Place> places = new HashMap<>();
        List<Job> waiting = page.stream().filter(j -> j.status().isWaiting())
                .sorted(Comparator.comparing(Job::queueKey)).toList();
        long ahead = waiting.isEmpty() ? 0 : jobs.waitingAhead(waiting.get(0));
        int running = waiting.isEmpty() ? 0 : held.holders().size();
        for (int i = 0; i < waiting.size(); i++) {
            places.put(waiting.get(i).jobId(), waiting(waiting.get(i), ahead + i, running));
        }
        page.stream().filter(j -> !j.status().isWaiting())
                .forEach(j -> running(j).ifPresent(p -> places.put(j.jobId(), p)));
        return places;
    }

    /** How long finished jobs of this job's shape took, if any has finished. */
    private Optional<Duration> known(Job job) {
        return job.request() == null ? Optional.empty() : durations.typical(JobDurations.shapeOf(job.request()));
    }

    private Duration typical(Job job) {
        return known(job).orElse(fallback);
    }

    private Place waiting(Job job, long ahead, int running) {
        Instant now = clock.instant();
        if (job.status() == JobStatus.WAITING_FOR_BUDGET) {
            String reason = job.history().isEmpty() ? null : job.history().get(job.history().size() - 1).note();
            return new Place(ahead + 1, null, null, reason);
        }
        Duration typical = typical(job);
        // a free slot for it (the dispatcher is about to admit it): no wait; else the jobs ahead and those
        // running drain through the slots, then this one runs
        Duration wait = ahead < slots - running ? Duration.ZERO : typical.multipliedBy(ahead + running).dividedBy(slots);
        return place(ahead + 1, now.plus(wait).plus(typical), now);
    }

    private Optional<Place> running(Job job) {
        Instant now = clock.instant();
        if (job.status().isInFlight()) {
            Instant start = Optional.ofNullable(job.scenario().submittedAt()).orElse(now);
            Optional<Duration> known = known(job);
            Instant end = known.isPresent() ? start.plus(known.get())
                    : byProgress(job, start).orElseGet(() -> start.plus(fallback));
            if (known.isPresent() && end.isBefore(now)) {
                // longer than its like took: its own progress tells more than an end already past ("0 s left")
                end = byProgress(job, start).filter(now::isBefore).orElse(end);
            }
            return Optional.of(place(null, end.isBefore(now) ? now : end, now));
        }
        return Optional.empty();
    }

    /**
     * For a job whose shape has not finished before: the end its progress implies, from its
     * submission to its last progress (a rate that counts Scenario's queue, so it errs late).
     */
    private Optional<Instant> byProgress(Job job, Instant submitted) {
        if (job.progress() < PROGRESS_FOR_ETA || job.progress() >= 1 || job.scenario().submittedAt() == null
                || !job.updatedAt().isAfter(submitted)) {
            return Optional.empty();
        }
        long sinceSubmission = Duration.between(submitted, job.updatedAt()).toMillis();
        return Optional.of(submitted.plusMillis(Math.round(sinceSubmission / job.progress())));
    }

    private static Place place(Long position, Instant eta, Instant now) {
        return new Place(position, eta, Math.max(0, Duration.between(now, eta).toSeconds()));
    }
}
