package io.outpaint.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cold-start table's arithmetic and format, on made-up figures. */
class ColdStartTableTest {

    private static ColdStartTable.Probe probe(long initMs, long primingMs, long firstMs, long warmMs) {
        return new ColdStartTable.Probe(initMs * 1_000_000, primingMs * 1_000_000, firstMs * 1_000_000, warmMs * 1_000_000, "ok", 0);
    }

    @Test
    void readsAProbesLine() {
        ColdStartTable.Probe probe = ColdStartTable.Probe.parse(
                "COLDSTART init=1500000000 priming=20 first=300000000 warm=9000000 outcome=NoSuchJobException primingFailed=2");

        assertThat(probe).isEqualTo(new ColdStartTable.Probe(1_500_000_000L, 20, 300_000_000L, 9_000_000L, "NoSuchJobException", 2));
        assertThat(probe.coldStart()).isEqualTo(1_800_000_000L);
    }

    @Test
    void refusesAnythingElse() {
        assertThatThrownBy(() -> ColdStartTable.Probe.parse("COLDSTART init=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachFigureIsTheMedianOfItsJvms() {
        ColdStartTable.Probe median = ColdStartTable.Probe.median(List.of(probe(900, 5, 300, 9), probe(1200, 1, 100, 7),
                probe(1000, 3, 200, 8)));

        assertThat(median).isEqualTo(probe(1000, 3, 200, 8));
    }

    @Test
    void ratiosAreAgainstTheBareHandlerAndTheWarmInvocation() {
        ColdStartTable.Row row = ColdStartTable.Row.of("Submit", 512, List.of(probe(1300, 0, 260, 8)),
                List.of(probe(1300, 400, 15, 10)), List.of(probe(1000, 0, 200, 5)));

        assertThat(row.coldRatio()).isEqualTo(1.3);
        assertThat(row.primedRatio()).isEqualTo(1.5);
    }

    @Test
    void theRatioToTheBareHandlerIsTakenWithinEachRoundsPair() {
        // the machine twice as slow in the second round: each pair's ratio is 1.2, the ratio of the medians would be 1.5
        ColdStartTable.Row row = ColdStartTable.Row.of("Admit", 512,
                List.of(probe(1000, 0, 200, 8), probe(2000, 0, 400, 8), probe(1000, 0, 200, 8)),
                List.of(probe(1000, 400, 10, 10), probe(1000, 400, 10, 10), probe(1000, 400, 10, 10)),
                List.of(probe(800, 0, 200, 5), probe(1600, 0, 400, 5), probe(800, 0, 200, 5)));

        assertThat(row.coldRatio()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.cold()).isEqualTo(probe(1000, 0, 200, 8));
    }

    @Test
    void aRoundWithoutItsBareHandlerIsRefused() {
        assertThatThrownBy(() -> ColdStartTable.Row.of("Admit", 512, List.of(probe(1000, 0, 200, 8), probe(1000, 0, 200, 8)),
                List.of(probe(1000, 400, 10, 10)), List.of(probe(800, 0, 200, 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 unprimed JVMs against 1 bare");
    }

    @Test
    void tableHasTheBaselineARowPerFunctionAndCountsTheGoalsMet() {
        ColdStartTable.Probe bare = probe(1000, 0, 200, 5);
        List<ColdStartTable.Row> rows = List.of(
                ColdStartTable.Row.of("Submit", 512, List.of(probe(1300, 0, 260, 8)), List.of(probe(1300, 400, 15, 10)), List.of(bare)),
                ColdStartTable.Row.of("Api", 1024, List.of(probe(2000, 0, 400, 30)), List.of(probe(2000, 500, 90, 30)), List.of(bare)));

        String table = ColdStartTable.format(bare, rows);

        assertThat(table.lines()).contains(
                "| bare GetItem handler | - | 1000 ms | 200 ms | 1200 ms | 1.00x | - | - | 5.0 ms | - | ok |",
                "| Submit | 512 MB | 1300 ms | 260 ms | 1560 ms | 1.30x | 400 ms | 15 ms | 10 ms | 1.50x | ok |",
                "| Api | 1024 MB | 2000 ms | 400 ms | 2400 ms | 2.00x | 500 ms | 90 ms | 30 ms | 3.00x | ok |");
        assertThat(table).contains("1.3x the bare handler's: 1 of 2 functions", "1.5x a warm one: 1 of 2.");
    }

    @Test
    void anotherAssetIsComparedWithinEachRoundsPairAndTheFasterOnesCounted() {
        // rounds whose machine speed differs: the median of the pairs' ratios (1.2) is not the ratio of the medians (0.96)
        List<ColdStartTable.Comparison> rows = List.of(
                new ColdStartTable.Comparison("Submit", List.of(probe(800, 0, 200, 8), probe(2400, 0, 600, 8), probe(1000, 0, 200, 8)),
                        List.of(probe(1000, 0, 250, 8), probe(1600, 0, 400, 8), probe(800, 0, 200, 8))),
                new ColdStartTable.Comparison("Api", List.of(probe(1000, 0, 300, 8)), List.of(probe(1000, 0, 300, 8, "ScenarioException"))),
                new ColdStartTable.Comparison("Sweep", List.of(probe(900, 0, 300, 8)), List.of(probe(1000, 0, 300, 8))));

        String table = ColdStartTable.formatComparison("--against", rows);

        assertThat(ColdStartTable.pairedRatio(rows.get(0).asset(), rows.get(0).against())).isCloseTo(1.2,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(table.lines()).contains(
                "| function | init + first, this asset | init + first, --against | this / other | outcome, this / other |",
                "| Submit | 1200 ms | 1250 ms | 1.200x | ok / ok |",
                "| Api | 1300 ms | 1300 ms | 1.000x | ok / ScenarioException |",
                "| Sweep | 1200 ms | 1300 ms | 0.923x | ok / ok |");
        // 1.000x is not counted as below
        assertThat(table).contains("below the other's in 1 of 3 functions");
        assertThatThrownBy(() -> ColdStartTable.pairedRatio(List.of(probe(1, 0, 1, 1)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 JVMs paired with 0");
    }

    private static ColdStartTable.Probe probe(long initMs, long primingMs, long firstMs, long warmMs, String outcome) {
        ColdStartTable.Probe ok = probe(initMs, primingMs, firstMs, warmMs);
        return new ColdStartTable.Probe(ok.init(), ok.priming(), ok.first(), ok.warm(), outcome, ok.primingFailed());
    }
}
