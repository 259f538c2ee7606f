package io.outpaint.media.finish;

/** A frame rate as FFmpeg states it ({@code 30000/1001}), kept exact so durations do not drift. */
public record Rational(long num, long den) {

    public Rational {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("a frame rate is positive: " + num + "/" + den);
        }
        long g = gcd(num, den);
        num /= g;
        den /= g;
    }

    /** Parses {@code 24/1}, {@code 30000/1001} or {@code 25}. */
    public static Rational parse(String text) {
        String[] parts = text.trim().split("/");
        long num = Long.parseLong(parts[0]);
        long den = parts.length > 1 ? Long.parseLong(parts[1]) : 1;
        return new Rational(num, den);
    }

    public double value() {
        return (double) num / den;
    }

    @Override
    public String toString() {
        return num + "/" + den;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
