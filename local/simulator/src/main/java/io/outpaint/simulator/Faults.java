package io.outpaint.simulator;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failures one simulator instance injects. Counted faults ({@code next...}) hit the next N
 * matching requests, so a test knows exactly how many retries to expect; rates are random.
 * Thread-safe: tests change knobs while a pipeline runs.
 */
public final class Faults {

    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger rateLimits = new AtomicInteger();
    private final AtomicInteger droppedDownloads = new AtomicInteger();
    private final AtomicInteger lostGenerateAnswers = new AtomicInteger();
    private final AtomicInteger failingJobs = new AtomicInteger();
    private final AtomicInteger expiredUrls = new AtomicInteger();
    private volatile double serverErrorRate;
    private volatile double rateLimitRate;
    private volatile Integer retryAfterSeconds = 1;
    private volatile int parallelJobLimit = Integer.MAX_VALUE;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean stuckJobs;
    private volatile boolean modelForbidden;
    private volatile boolean uploadsNeverImported;
    private volatile String jobError = "Generation failed: the model could not process the input video";
    private volatile String jobHint = "Try a shorter video or a lower resolution";

    /** The next {@code count} API calls answer 500/502/503 in turn. */
    public Faults nextServerErrors(int count) { serverErrors.set(count); return this; }

    /** A share of API calls, from 0 to 1, answers 5xx. */
    public Faults serverErrorRate(double rate) { serverErrorRate = rate; return this; }

    /** The next {@code count} API calls answer the request-rate 429. */
    public Faults nextRateLimits(int count) { rateLimits.set(count); return this; }

    /** A share of API calls, from 0 to 1, answers the request-rate 429. */
    public Faults rateLimitRate(double rate) { rateLimitRate = rate; return this; }

    /** The {@code Retry-After} seconds sent with request-rate 429s; null sends no header. */
    public Faults retryAfterSeconds(Integer seconds) { retryAfterSeconds = seconds; return this; }

    /** At most {@code limit} jobs running at once; more answer the plan-limit 429. */
    public Faults parallelJobLimit(int limit) { parallelJobLimit = limit; return this; }

    /** Every request waits this long before it is answered. */
    public Faults latency(Duration value) { latency = value; return this; }

    /** The next {@code count} CDN downloads stop halfway and drop the connection. */
    public Faults nextDroppedDownloads(int count) { droppedDownloads.set(count); return this; }

    /** The next {@code count} asset URLs handed out have expired already (a short URL lifetime, made exact). */
    public Faults nextExpiredUrls(int count) { expiredUrls.set(count); return this; }

    /** The next {@code count} generate calls create the job, then drop the connection before answering. */
    public Faults nextLostGenerateAnswers(int count) { lostGenerateAnswers.set(count); return this; }

    /** The next {@code count} jobs end in {@code failure} with this error and hint. */
    public Faults nextFailingJobs(int count, String error, String hint) {
        jobError = error;
        jobHint = hint;
        failingJobs.set(count);
        return this;
    }

    /** Jobs created while this is on never finish. */
    public Faults stuckJobs(boolean on) { stuckJobs = on; return this; }

    /** Generate answers 403, as for a key whose plan lacks the model. */
    public Faults modelForbidden(boolean on) { modelForbidden = on; return this; }

    /** Uploads stop at {@code complete} (received, still processing) and never become {@code imported}. */
    public Faults uploadsNeverImported(boolean on) { uploadsNeverImported = on; return this; }

    /** Back to no faults at all. */
    public Faults clear() {
        serverErrors.set(0);
        rateLimits.set(0);
        droppedDownloads.set(0);
        lostGenerateAnswers.set(0);
        failingJobs.set(0);
        expiredUrls.set(0);
        serverErrorRate = 0;
        rateLimitRate = 0;
        retryAfterSeconds = 1;
        parallelJobLimit = Integer.MAX_VALUE;
        latency = Duration.ZERO;
        stuckJobs = false;
        modelForbidden = false;
        uploadsNeverImported = false;
        return this;
    }

    boolean takeServerError() { return take(serverErrors) || roll(serverErrorRate); }
    boolean takeRateLimit() { return take(rateLimits) || roll(rateLimitRate); }
    boolean takeDroppedDownload() { return take(droppedDownloads); }
    boolean takeLostGenerateAnswer() { return take(lostGenerateAnswers); }
    boolean takeFailingJob() { return take(failingJobs); }
    boolean takeExpiredUrl() { return take(expiredUrls); }
    Integer retryAfterSeconds() { return retryAfterSeconds; }
    int parallelJobLimit() { return parallelJobLimit; }
    Duration latency() { return latency; }
    boolean stuckJobs() { return stuckJobs; }
    boolean modelForbidden() { return modelForbidden; }
    boolean uploadsNeverImported() { return uploadsNeverImported; }
    String jobError() { return jobError; }
    String jobHint() { return jobHint; }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static boolean roll(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }
}
