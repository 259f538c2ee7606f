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
    void looksAtTheEstimatedEndOnceTheRateRestsOnEnoughProgress() {
        // 10% in 20 s: 0.5 left at 0.005/s is 100 s
        assertThat(schedule.next(at(0.4, 100), at(0.5, 120), 20, 120)).isEqualTo(100);
    }

    @Test
    void waitsHalfTheEstimatedTimeLeftWhileLittleProgressIsSeen() {
        // 1% in 10 s: 0.98 left at 0.001/s is 980 s; half of it is 490 s, bounded by 300
        assertThat(schedule.next(at(0.01, 10), at(0.02, 20), 10, 20)).isEqualTo(300);
        assertThat(new PollSchedule(5, 1000, 15, 60).next(at(0.01, 10), at(0.02, 20), 10, 20)).isEqualTo(490);
    }

    @Test
    void oneLookPastZeroGivesARateWhenTheHistorySaysWhenProgressStarted() {
        // queued until 12 s, in progress since; at 15 s 6% done: 2% a second, the end 47 s later; half of it,
        // and no longer than the 3 s it has been in progress: the minimum, 5 s, then a second look gives the rate
        assertThat(schedule.next(at(0, 0), at(0.06, 15), 15, 15, 0, 12_000)).isEqualTo(5);
        // in progress since 12 s, 60% at 40 s: 0.4 left at 0.0214/s is 18.7 s, half of it 9 s (under 28 s in progress)
        assertThat(schedule.next(at(0, 0), at(0.6, 40), 40, 40, 0, 12_000)).isEqualTo(9);
        // in progress since 100 s, 6% at 400 s: 4700 s left by that rate; half is 2350, but 300 s in progress bound it
        assertThat(new PollSchedule(5, 3600, 15, 60).next(at(0, 0), at(0.06, 400), 400, 400, 0, 100_000)).isEqualTo(300);
        // without the history the same look backs off, as progress from before it started tells no rate
        assertThat(schedule.next(at(0, 0), at(0.06, 15), 15, 15, 0, 0)).isEqualTo(23);
        // a start after the look (clocks apart) is not used
        assertThat(schedule.next(at(0, 0), at(0.06, 15), 15, 15, 0, 16_000)).isEqualTo(23);
        // once two looks past zero exist, their rate is used, not the start
        assertThat(schedule.next(at(0.2, 20), at(0.3, 30), 10, 30, 0, 12_000)).isEqualTo(70);
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
    void looksJustPastTheExpectedEndThenAsUsual() {
        // jobs of this shape took 300 s: at 285 s the next look is at 303 s, not earlier
        assertThat(schedule.next(at(0, 0), at(0.95, 285), 285, 285, 300)).isEqualTo(18);
        // past the expected end, the usual schedule (here 5% of the time spent)
        assertThat(schedule.next(at(0.95, 285), at(0.99, 303), 18, 303, 300)).isEqualTo(15);
        // nothing known: the usual schedule
        assertThat(schedule.next(at(0, 0), at(0.95, 285), 285, 285, 0)).isEqualTo(schedule.next(at(0, 0), at(0.95, 285), 285, 285));
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
