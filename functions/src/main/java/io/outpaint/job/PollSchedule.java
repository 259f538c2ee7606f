package io.outpaint.job;

/**
 * Chooses how long to wait before the next status check.
 * <ul>
 *   <li>Never less than {@value #SHARE_OF_ELAPSED} of the time since submission: a job that ends
 *       is seen within about that share of its length, whatever its length.</li>
 *   <li>While Scenario's progress moves, it estimates the time left from the rate between two looks
 *       past zero and waits {@value #SHARE_OF_TIME_LEFT} of it while the estimate rests on little
 *       progress, all of it from {@value #TRUST_RATE_FROM} on: rare checks mid-job, the next one at
 *       the estimated end.</li>
 *   <li>At the first look that sees progress, when Scenario's status history says when the job
 *       went in progress, the rate from then waits {@value #SHARE_OF_TIME_LEFT} of the time left,
 *       and never longer than the job has been in progress: a job that warmed up at 0% for a
 *       while inside "in-progress" would make that rate too low, and the next look, a second
 *       one past zero, measures the rate itself.</li>
 *   <li>While progress says nothing (queued, warming up, stalled) it backs off by
 *       {@value #QUIET_BACKOFF}, up to {@code quietMaxSeconds}.</li>
 * </ul>
 * Always between {@code minSeconds} and {@code maxSeconds}.
 */
public record PollSchedule(int minSeconds, int maxSeconds, int firstSeconds, int quietMaxSeconds) {

    /** What one status check saw. */
    public record Observation(double progress, long atMillis) {}

    static final double SHARE_OF_ELAPSED = 0.05;
    static final double SHARE_OF_TIME_LEFT = 0.5;
    /** From this much progress on, the rate is trusted to tell the end: the next look goes there. */
    static final double TRUST_RATE_FROM = 0.05;
    static final double QUIET_BACKOFF = 1.5;
    /** From here on Scenario's job is finalizing and its progress stops telling the time left. */
    static final double NEARLY_DONE = 0.95;
    /** The first look, for a job whose like took a known time: most of that time, so short jobs are not over-polled. */
    static final double FIRST_SHARE_OF_TYPICAL = 0.95;
    /** How far past the expected end the look after the first one comes: jobs of one shape vary a little. */
    static final double PAST_EXPECTED_END = 0.01;

    public static PollSchedule defaults() {
        return new PollSchedule(5, 300, 15, 60);
    }

    public PollSchedule {
        if (minSeconds < 1 || maxSeconds < minSeconds || firstSeconds < minSeconds || quietMaxSeconds < minSeconds) {
            throw new IllegalArgumentException("poll bounds must satisfy 1 <= min <= first, quietMax <= max");
        }
    }

    /** The wait before the first check after submission. */
    public int first() {
        return firstSeconds;
    }

    /** The wait before the first check when finished jobs of the same shape took {@code typicalSeconds}. */
    public int firstFor(double typicalSeconds) {
        return clamp(typicalSeconds * FIRST_SHARE_OF_TYPICAL, minSeconds, maxSeconds);
    }

    /**
     * The wait before the next check of a job whose like took {@code expectedSeconds} (0: unknown):
     * while that expected end is ahead, the next look is just past it; after it, as {@link #next}.
     */
    public int next(Observation previous, Observation now, int lastDelaySeconds, double elapsedSeconds, double expectedSeconds) {
        return next(previous, now, lastDelaySeconds, elapsedSeconds, expectedSeconds, 0);
    }

    /**
     * As {@link #next(Observation, Observation, int, double, double)}, when Scenario's status history
     * says the job has been in progress since {@code progressSinceMillis} on this clock (0: not
     * known). Progress was zero then, so one look past zero already gives a rough rate.
     */
    public int next(Observation previous, Observation now, int lastDelaySeconds, double elapsedSeconds, double expectedSeconds,
                    long progressSinceMillis) {
        double expectedEnd = expectedSeconds * (1 + PAST_EXPECTED_END);
        if (expectedSeconds > 0 && elapsedSeconds < expectedEnd && now.progress() < 1) {
            return clamp(expectedEnd - elapsedSeconds, minSeconds, maxSeconds);
        }
        boolean noRateYet = previous == null || previous.progress() <= 0 || previous.atMillis() < progressSinceMillis;
        if (noRateYet && progressSinceMillis > 0 && progressSinceMillis < now.atMillis()) {
            previous = new Observation(0, progressSinceMillis);
            return next(previous, now, lastDelaySeconds, elapsedSeconds, true);
        }
        return next(previous, now, lastDelaySeconds, elapsedSeconds);
    }

    /**
     * The wait before the next check.
     *
     * @param previous the check before, or null
     * @param now this check
     * @param lastDelaySeconds the wait that led to this check
     * @param elapsedSeconds time since the job was submitted
     */
    public int next(Observation previous, Observation now, int lastDelaySeconds, double elapsedSeconds) {
        return next(previous, now, lastDelaySeconds, elapsedSeconds, false);
    }

    /** {@code anchored}: {@code previous} is the moment progress started, at zero: a rough rate, trusted less. */
    private int next(Observation previous, Observation now, int lastDelaySeconds, double elapsedSeconds, boolean anchored) {
        double floor = SHARE_OF_ELAPSED * Math.max(0, elapsedSeconds);
        if (now.progress() >= NEARLY_DONE) {
            return clamp(floor, minSeconds, maxSeconds);
        }
        if (previous != null && (previous.progress() > 0 || anchored) && now.progress() > previous.progress()
                && now.atMillis() > previous.atMillis()) {
            double perSecond = (now.progress() - previous.progress()) / ((now.atMillis() - previous.atMillis()) / 1000.0);
            double secondsLeft = (1.0 - now.progress()) / perSecond;
            double share = now.progress() >= TRUST_RATE_FROM && !anchored ? 1 : SHARE_OF_TIME_LEFT;
            double wait = secondsLeft * share;
            if (anchored) {
                wait = Math.min(wait, (now.atMillis() - previous.atMillis()) / 1000.0);
            }
            return clamp(Math.max(floor, wait), minSeconds, maxSeconds);
        }
        double quiet = Math.max(floor, Math.max(lastDelaySeconds, minSeconds) * QUIET_BACKOFF);
        return clamp(quiet, minSeconds, Math.min(quietMaxSeconds, maxSeconds));
    }

    private static int clamp(double value, int min, int max) {
        return (int) Math.max(min, Math.min(max, Math.round(value)));
    }
}
