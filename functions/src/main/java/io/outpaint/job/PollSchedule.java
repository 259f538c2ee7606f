package io.outpaint.job;

/**
 * Chooses how long to wait before the next status check. While Scenario's progress moves, it
 * estimates the time left from the rate between two observations and waits a fraction of it:
 * rare checks mid-job, closer ones near the end. While progress says nothing (queued, warming up,
 * stalled), it backs off geometrically. Always between {@code minSeconds} and {@code maxSeconds}.
 */
public record PollSchedule(int minSeconds, int maxSeconds, int firstSeconds, int quietMaxSeconds) {

    /** What one status check saw. */
    public record Observation(double progress, long atMillis) {}

    /** The share of the estimated time left to wait before looking again. */
    static final double SHARE_OF_TIME_LEFT = 0.5;
    static final double QUIET_BACKOFF = 1.5;
    /** From here on a job is finalizing: look at the shortest interval. */
    static final double NEARLY_DONE = 0.95;

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

    /**
     * The wait before the next check.
     *
     * @param previous the check before, or null
     * @param now this check
     * @param lastDelaySeconds the wait that led to this check
     */
    public int next(Observation previous, Observation now, int lastDelaySeconds) {
        if (now.progress() >= NEARLY_DONE) {
            return minSeconds;
        }
        if (previous != null && now.progress() > previous.progress() && now.atMillis() > previous.atMillis()) {
            double perSecond = (now.progress() - previous.progress()) / ((now.atMillis() - previous.atMillis()) / 1000.0);
            double secondsLeft = (1.0 - now.progress()) / perSecond;
            return clamp((int) Math.round(secondsLeft * SHARE_OF_TIME_LEFT), minSeconds, maxSeconds);
        }
        // no movement to learn from: back off, but not so far that a quick finish goes unseen for long
        return clamp((int) Math.ceil(Math.max(lastDelaySeconds, minSeconds) * QUIET_BACKOFF), minSeconds,
                Math.min(quietMaxSeconds, maxSeconds));
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
