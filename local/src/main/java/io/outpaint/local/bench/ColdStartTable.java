package io.outpaint.local.bench;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bench coldstart}'s figures: what one fresh JVM measured, and the table with its ratios and goals. */
final class ColdStartTable {

    /** Goal: a function's init plus first invocation at most this times the bare handler's. */
    static final double COLD_GOAL = 1.3;
    /** Goal: after priming, the first invocation at most this times a warm one. */
    static final double PRIMED_GOAL = 1.5;

    private static final Pattern LINE = Pattern.compile(
            "COLDSTART init=(\\d+) priming=(\\d+) first=(\\d+) warm=(\\d+) outcome=(\\S+) primingFailed=(\\d+)");

    /** One fresh JVM's times, in nanoseconds; the outcome of its invocations (ok, or the exception's simple name). */
    record Probe(long init, long priming, long first, long warm, String outcome, int primingFailed) {
        static Probe parse(String line) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a probe's line: " + line);
            }
            return new Probe(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), m.group(5), Integer.parseInt(m.group(6)));
        }

        long coldStart() {
            return init + first;
        }

        /** Each figure's median over several JVMs (the upper one of an even count); the first JVM's outcome. */
        static Probe median(List<Probe> probes) {
            return new Probe(median(probes, Probe::init), median(probes, Probe::priming), median(probes, Probe::first),
                    median(probes, Probe::warm), probes.get(0).outcome(), (int) median(probes, Probe::primingFailed));
        }

        private static long median(List<Probe> probes, java.util.function.ToLongFunction<Probe> figure) {
            long[] values = probes.stream().mapToLong(figure).sorted().toArray();
            return values[values.length / 2];
        }
    }

    /**
     * One function: a JVM without priming, one that ran its priming before the first invocation
     * (each the median of its JVMs), and the ratio of its init plus first invocation to the bare
     * handler's: the median, over the rounds, of each unprimed JVM's against the bare JVM run just
     * before it, so a machine that slows down or speeds up during the run moves both alike.
     */
    record Row(String function, int memoryMb, Probe cold, Probe primed, double coldRatio) {

        /** From each round's JVMs: {@code bares.get(i)} ran just before {@code cold.get(i)}. */
        static Row of(String function, int memoryMb, List<Probe> cold, List<Probe> primed, List<Probe> bares) {
            if (cold.size() != bares.size() || cold.isEmpty()) {
                throw new IllegalArgumentException(function + ": " + cold.size() + " unprimed JVMs against " + bares.size() + " bare ones");
            }
            return new Row(function, memoryMb, Probe.median(cold), Probe.median(primed), pairedRatio(cold, bares));
        }

        double primedRatio() {
            return (double) primed.first() / primed.warm();
        }
    }

    private ColdStartTable() {}

    /**
     * The median, over the rounds, of each pair's ratio of init plus first invocation:
     * {@code a.get(i)} against {@code b.get(i)}, two JVMs of one round run one after the other
     * (the upper median of an even count).
     */
    static double pairedRatio(List<Probe> a, List<Probe> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalArgumentException(a.size() + " JVMs paired with " + b.size());
        }
        double[] ratios = new double[a.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = (double) a.get(i).coldStart() / b.get(i).coldStart();
        }
        java.util.Arrays.sort(ratios);
        return ratios[ratios.length / 2];
    }

    /** One function's unprimed JVMs from this asset and from another, paired by round. */
    record Comparison(String function, List<Probe> asset, List<Probe> against) {}

    /**
     * The comparison of two assets' unprimed JVMs: each one's median, the median of the rounds'
     * ratios, and each side's outcome (ok, or the first JVM's exception that was not).
     */
    static String formatComparison(String against, List<Comparison> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| function | init + first, this asset | init + first, " + against + " | this / other | outcome, this / other |\n");
        out.append("|---|---|---|---|---|\n");
        int faster = 0;
        for (Comparison row : rows) {
            // counted as shown: a ratio that prints as 1.000x is not below 1
            long ratio = Math.round(pairedRatio(row.asset(), row.against()) * 1000);
            faster += ratio < 1000 ? 1 : 0;
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3fx | %s / %s |%n", row.function(),
                    ms(Probe.median(row.asset()).coldStart()), ms(Probe.median(row.against()).coldStart()), ratio / 1000.0,
                    outcome(row.asset()), outcome(row.against())));
        }
        out.append(String.format(Locale.ROOT, "%nThis asset's init + first is below the other's in %d of %d functions"
                + " (each ratio the median over the rounds of two JVMs run close together, their order alternating).%n",
                faster, rows.size()));
        return out.toString();
    }

    /** ok when every JVM's invocations were; else the first other outcome. */
    static String outcome(List<Probe> probes) {
        return probes.stream().map(Probe::outcome).filter(o -> !o.equals("ok")).findFirst().orElse("ok");
    }

    /** {@code bare}: the median of every bare JVM of the run (the rows' ratios are against each one's own). */
    static String format(Probe bare, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| function | memory | init | first invocation | init + first | / bare | priming | first after priming"
                + " | warm | / warm | outcome |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| bare GetItem handler | - | %s | %s | %s | 1.00x | - | - | %s | - | %s |%n",
                ms(bare.init()), ms(bare.first()), ms(bare.coldStart()), ms(bare.warm()), bare.outcome()));
        int coldMet = 0;
        int primedMet = 0;
        for (Row row : rows) {
            double cold = row.coldRatio();
            double primed = row.primedRatio();
            coldMet += cold <= COLD_GOAL ? 1 : 0;
            primedMet += primed <= PRIMED_GOAL ? 1 : 0;
            out.append(String.format(Locale.ROOT, "| %s | %d MB | %s | %s | %s | %.2fx | %s | %s | %s | %.2fx | %s |%n",
                    row.function(), row.memoryMb(), ms(row.cold().init()), ms(row.cold().first()), ms(row.cold().coldStart()), cold,
                    ms(row.primed().priming()) + (row.primed().primingFailed() > 0 ? " (" + row.primed().primingFailed() + " failed)" : ""),
                    ms(row.primed().first()), ms(row.primed().warm()), primed, row.cold().outcome()));
        }
        out.append(String.format(Locale.ROOT, "%nGoals: init + first at most %.1fx the bare handler's: %d of %d functions;"
                + " first after priming at most %.1fx a warm one: %d of %d.%n", COLD_GOAL, coldMet, rows.size(), PRIMED_GOAL,
                primedMet, rows.size()));
        return out.toString();
    }

    static String ms(long nanos) {
        double millis = nanos / 1e6;
        return millis < 10 ? String.format(Locale.ROOT, "%.1f ms", millis) : String.format(Locale.ROOT, "%d ms", Math.round(millis));
    }
}
