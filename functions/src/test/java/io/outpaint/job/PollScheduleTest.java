package io.outpaint.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.job.PollSchedule.Observation;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private final PollSchedule schedule = new PollSchedule(5, 300, 15, 60);

    private static Observation at(double progress, double seconds) {
        return new Observation(progress, (long) (seconds * 1000));
    }

    @Test
    void waitsHalfTheEstimatedTimeLeftWhileProgressMoves() {
        // 10% in 20 s: 0.5 left at 0.005/s is 100 s; half of it is 50 s
        assertThat(schedule.next(at(0.4, 100), at(0.5, 120), 20, 120)).isEqualTo(50);
    }

    @Test
    void looksCloserAsTheEndNears() {
        int midJob = schedule.next(at(0.3, 100), at(0.4, 120), 20, 120);
        int nearEnd = schedule.next(at(0.8, 200), at(0.9, 220), 20, 220);
        assertThat(nearEnd).isLessThan(midJob);
    }

    @Test
    void neverWaitsLessThanAShareOfTheTimeAlreadySpent() {
        // 1000 s in, almost done by the rate: still 5% of 1000 s
        assertThat(schedule.next(at(0.90, 990), at(0.93, 1000), 10, 1000)).isEqualTo(50);
        assertThat(schedule.next(at(0.95, 990), at(0.95, 1000), 10, 1000)).isEqualTo(50);
    }

    @Test
    void looksFirstJustBeforeJobsOfTheSameShapeEnded() {
        assertThat(schedule.firstFor(100)).isEqualTo(95);
        assertThat(schedule.firstFor(1)).isEqualTo(5); // never under the minimum
    }

    @Test
    void backsOffWhenProgressSaysNothing() {
        assertThat(schedule.next(at(0, 0), at(0, 15), 15, 15)).isEqualTo(23);
        assertThat(schedule.next(at(0, 15), at(0, 38), 23, 38)).isEqualTo(35);
        // up to the quiet maximum, not the overall one
        assertThat(schedule.next(at(0, 100), at(0, 200), 50, 200)).isEqualTo(60);
    }

    @Test
    void doesNotTrustARateMeasuredFromBeforeProgressStarted() {
        // queued time would make the job look ten times slower than it runs
        assertThat(schedule.next(at(0, 0), at(0.1, 60), 60, 60)).isEqualTo(60); // backs off instead
    }

    @Test
    void staysWithinItsBounds() {
        assertThat(schedule.next(at(0.5, 0), at(0.9, 1), 1, 1)).isEqualTo(5);
        assertThat(schedule.next(at(0.01, 0), at(0.02, 100), 100, 100)).isEqualTo(300);
    }

    @Test
    void refusesBoundsThatContradictEachOther() {
        assertThatThrownBy(() -> new PollSchedule(10, 5, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PollSchedule(0, 5, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
