package io.outpaint.scenario;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the client retries transient failures: exponential backoff with full jitter, at least the
 * server's own hint ({@code Retry-After}, {@code remainingSeconds}) when it gives one. A wait
 * longer than {@code maxDelay} is not taken: the error goes to the caller, whose own retry
 * (a Step Functions Retry) waits without holding a Lambda.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {

    /** Waits between attempts; tests replace it to record the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public static final Sleeper REAL_SLEEP = d -> Thread.sleep(d.toMillis());

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20), REAL_SLEEP);
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public RetryPolicy withSleeper(Sleeper value) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, value);
    }

    /** The wait before attempt {@code attempt + 1}, given the server's hint (or null). */
    Duration delayAfter(int attempt, Duration hint) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long jitter = ThreadLocalRandom.current().nextLong(ceiling + 1);
        if (hint == null) {
            return Duration.ofMillis(jitter);
        }
        // the server said how long; a little jitter on top keeps many callers from retrying in step
        return hint.plusMillis(ThreadLocalRandom.current().nextLong(baseDelay.toMillis() + 1));
    }
}
