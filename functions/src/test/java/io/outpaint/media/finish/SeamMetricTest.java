package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The seam ratio on made-up differences: a 16 fps cadence at 24 fps, with and without a jump at a boundary. */
class SeamMetricTest {

    /** 2, 1, 0, 2, 1, 0, ...: a 16 fps margin shown at 24 fps, every third frame repeated. */
    private static double[] cadence(int frames) {
        double[] d = new double[frames - 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = new double[] {2, 1, 0}[i % 3];
        }
        return d;
    }

    @Test
    void anEvenMarginIsAtOneAcrossItsBoundaries() {
        SeamMetric.Result r = SeamMetric.compare(cadence(120), List.of(new SeamMetric.Overlap(40, 52), new SeamMetric.Overlap(80, 92)), "clip");
        assertThat(r.boundaryRatios()).containsExactly(1.0, 1.0);
        assertThat(r.references()).containsExactly(2.0, 2.0);
    }

    @Test
    void aJumpAtOneBoundaryStandsOutThere() {
        double[] d = cadence(120);
        d[85] = 9; // the step into frame 86, in the second overlap
        SeamMetric.Result r = SeamMetric.compare(d, List.of(new SeamMetric.Overlap(40, 52), new SeamMetric.Overlap(80, 92)), "clip");
        assertThat(r.boundaryRatios()).containsExactly(1.0, 4.5);
        assertThat(r.worst()).isEqualTo(4.5);
    }

    @Test
    void comparesEachBoundaryWithItsOwnSegmentsPace() {
        double[] d = cadence(160);
        for (int i = 75; i < d.length; i++) {
            d[i] *= 3; // from frame 76 the margin moves three times as fast
        }
        List<SeamMetric.Overlap> overlaps = List.of(new SeamMetric.Overlap(30, 42), new SeamMetric.Overlap(70, 82),
                new SeamMetric.Overlap(110, 122));
        SeamMetric.Result r = SeamMetric.compare(d, overlaps, "clip");
        // the first boundary's segments are all slow, the last one's all fast: each is even with its own
        assertThat(r.references().get(0)).isEqualTo(2.0);
        assertThat(r.references().get(2)).isEqualTo(6.0);
        assertThat(r.boundaryRatios().get(0)).isEqualTo(1.0);
        assertThat(r.boundaryRatios().get(2)).isEqualTo(1.0);
    }

    @Test
    void refusesOverlapsOutOfOrderOrWithNothingAroundThem() {
        assertThatThrownBy(() -> SeamMetric.compare(cadence(120), List.of(new SeamMetric.Overlap(80, 92), new SeamMetric.Overlap(40, 52)), "clip"))
                .hasMessageContaining("[40, 52) is not after the one before it");
        assertThatThrownBy(() -> SeamMetric.compare(cadence(20), List.of(new SeamMetric.Overlap(2, 18)), "clip"))
                .hasMessageContaining("no run of 17 frames of their own");
    }
}
