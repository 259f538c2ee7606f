package io.outpaint.store;

import io.outpaint.queue.JobDurations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link JobDurations} in memory, for fast tests and benchmarks. */
public final class InMemoryJobDurations implements JobDurations {

    private record Mean(long count, long millis) {}

    private final Map<String, Mean> means = new ConcurrentHashMap<>();

    @Override
    public Optional<Duration> typical(String shape) {
        return Optional.ofNullable(means.get(shape)).map(m -> Duration.ofMillis(m.millis()));
    }

    @Override
    public void record(String shape, Duration took) {
        means.merge(shape, new Mean(1, took.toMillis()),
                (old, sample) -> new Mean(old.count() + 1, JobDurations.nextMeanMillis(old.millis(), old.count(), sample.millis())));
    }
}
