package io.outpaint.simulator.video;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TintTest {

    private static final String SOURCE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void theSameSeedAndSourceAlwaysGiveTheSameTint() {
        assertThat(Tint.of(42, SOURCE)).isEqualTo(Tint.of(42, SOURCE));
    }

    @Test
    void consecutiveSeedsLandAGoldenAngleApart() {
        int a = Tint.of(1, SOURCE).hueDegrees();
        int b = Tint.of(2, SOURCE).hueDegrees();
        int apart = Math.floorMod(b - a, 360);
        assertThat(Math.min(apart, 360 - apart)).isBetween(137, 138);
    }

    @Test
    void largeSeedsSpreadOverTheWholeCircleAsSmallOnesDo() {
        // random seeds are drawn up to 2^53: each must still get a hue of its own, not one of a handful
        java.util.Set<Integer> hues = new java.util.HashSet<>();
        for (long seed = (1L << 53) - 200; seed < (1L << 53); seed++) {
            hues.add(Tint.of(seed, SOURCE).hueDegrees());
        }
        assertThat(hues).as("hues of 200 consecutive seeds near 2^53").hasSizeGreaterThan(100);
    }

    @Test
    void anotherSourceWithTheSameSeedGetsAnotherTint() {
        assertThat(Tint.of(0, SOURCE)).isNotEqualTo(Tint.of(0, "another source's digest"));
    }

    @Test
    void theTintIsAChromaPointAtAFixedDistanceFromGrey() {
        assertThat(new Tint(0)).extracting(Tint::cb, Tint::cr).containsExactly(188, 128);
        assertThat(new Tint(90)).extracting(Tint::cb, Tint::cr).containsExactly(128, 188);
    }
}
