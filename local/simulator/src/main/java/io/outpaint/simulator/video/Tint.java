package io.outpaint.simulator.video;

/**
 * The colour cast of one generation's margins, as a hue: derived from the seed and the source's content, so two
 * generations (two seeds, or two inputs) look different as real ones do, and the same generation looks the same.
 */
public record Tint(int hueDegrees) {

    /** 1 - 1/phi of a turn: consecutive seeds land a golden angle (137.5 degrees) apart, never close. */
    private static final double GOLDEN_TURN = 0.3819660112501051;
    private static final int RADIUS = 60;
    /**
     * Seeds are taken modulo this prime before the turn: a seed near 2^53 (a random one) times the turn leaves no
     * fraction a double can hold, and every such seed would land on one of a few hues.
     */
    private static final long SEED_PERIOD = 1_000_003L;

    public Tint {
        if (hueDegrees < 0 || hueDegrees >= 360) {
            throw new IllegalArgumentException("hue must be in [0, 360): " + hueDegrees);
        }
    }

    public static Tint of(long seed, String sourceDigest) {
        double base = Math.floorMod(sourceDigest.hashCode(), 360) / 360.0;
        double turn = base + Math.floorMod(seed, SEED_PERIOD) * GOLDEN_TURN;
        return new Tint((int) Math.floor((turn - Math.floor(turn)) * 360) % 360);
    }

    /** The tint's Cb sample (8-bit, 128 neutral). */
    public int cb() {
        return 128 + (int) Math.round(RADIUS * Math.cos(Math.toRadians(hueDegrees)));
    }

    /** The tint's Cr sample (8-bit, 128 neutral). */
    public int cr() {
        return 128 + (int) Math.round(RADIUS * Math.sin(Math.toRadians(hueDegrees)));
    }
}
