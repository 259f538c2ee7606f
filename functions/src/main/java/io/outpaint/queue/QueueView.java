package io.outpaint.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a user sees of the queue: a waiting job's place (1 = next) and, from the durations of
 * finished jobs of the same shape, when it should be done. An estimate, not a promise.
 */
public final class QueueView {

    /** The fields the API adds to a job: place in the queue (waiting only) and estimated end. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Place(Long queuePosition, Instant eta, Long etaSeconds) {}

    private final JobStore jobs;
    private final JobDurations durations;
    private final int slots;
    private final Duration fallback;
    private final Clock clock;

    public QueueView(JobStore jobs, JobDurations durations, int slots, Duration fallback, Clock clock) {
        this.jobs = jobs;
        this.durations = durations;
        this.slots = slots;
        this.fallback = fallback;
        this.clock = clock;
    }

    public Optional<Place> describe(Job job) {
        Instant now = clock.instant();
        Duration typical = job.request() == null ? fallback
                : durations.typical(JobDurations.shapeOf(job.request())).orElse(fallback);
        if (job.status() == JobStatus.WAITING_FOR_SLOT) {
            long ahead = jobs.waitingAhead(job);
            // the jobs ahead and those running drain through the slots; then this one runs
            Duration wait = typical.multipliedBy(ahead + slots).dividedBy(slots);
            return Optional.of(place(ahead + 1, now.plus(wait).plus(typical), now));
        }
        if (job.status().isInFlight()) {
            Instant start = Optional.ofNullable(job.scenario().submittedAt()).orElse(now);
            Instant end = start.plus(typical);
            return Optional.of(place(null, end.isBefore(now) ? now : end, now));
        }
        return Optional.empty();
    }

    private static Place place(Long position, Instant eta, Instant now) {
        return new Place(position, eta, Math.max(0, Duration.between(now, eta).toSeconds()));
    }
}
