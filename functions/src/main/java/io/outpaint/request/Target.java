package io.outpaint.request;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the user wants back instead of raw expand flags: an aspect ratio {@code W:H} and where the
 * source sits in it. Terms are 1 to {@value #MAX_TERM} and the ratio between 1:4 and 4:1: beyond
 * that one generation cannot reach it from common footage, and large coprime terms make the exact
 * canvas step (2W x 2H px) coarse.
 */
public record Target(int width, int height, Anchor anchor) {

    public static final int MAX_TERM = 100;
    public static final String PRESETS = "9:16, 1:1, 4:5, 16:9, 21:9";
    public static final String RATIO_RULE = PRESETS + " or any W:H with W and H whole numbers from 1 to " + MAX_TERM
            + " and W/H between 1/4 and 4";
    private static final Pattern RATIO = Pattern.compile("([0-9]{1,3}):([0-9]{1,3})");

    /** Where the source sits in the target; an anchor on the axis that does not change is centre there. */
    public enum Anchor implements Choices.Wire {
        CENTER("center"), TOP("top"), BOTTOM("bottom"), LEFT("left"), RIGHT("right");
        private final String wire;
        Anchor(String wire) { this.wire = wire; }
        public String wire() { return wire; }

        public static Optional<Anchor> of(String wire) {
            return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
        }

        public static String allowed() {
            return Arrays.stream(values()).map(Anchor::wire).collect(Collectors.joining(", "));
        }
    }

    public Target {
        if (!valid(width, height) || anchor == null) {
            throw new IllegalArgumentException("not a target: " + width + ":" + height + " " + anchor + "; allowed: " + RATIO_RULE);
        }
    }

    /** The target {@code ratio} ("9:16") names, or empty when it is not one {@link #RATIO_RULE} allows. */
    public static Optional<Target> parse(String ratio, Anchor anchor) {
        Matcher m = RATIO.matcher(ratio == null ? "" : ratio.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        return valid(w, h) ? Optional.of(new Target(w, h, anchor)) : Optional.empty();
    }

    private static boolean valid(int w, int h) {
        return w >= 1 && h >= 1 && w <= MAX_TERM && h <= MAX_TERM && w <= 4L * h && h <= 4L * w;
    }

    /** The ratio as given ("16:9"); {@code 32:18} stays as written, the planner reduces it. */
    public String aspectRatio() {
        return width + ":" + height;
    }

    /** The ratio in lowest terms: {@code [16, 9]} for 32:18. */
    public int[] reduced() {
        int g = gcd(width, height);
        return new int[] {width / g, height / g};
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
