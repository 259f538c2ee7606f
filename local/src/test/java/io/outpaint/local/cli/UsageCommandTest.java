package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code outpaint usage}: the period's figures and its days as a table, the API's JSON with --json, refusals in one line. */
class UsageCommandTest {

    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    private static final String DECEMBER = """
            {"period": "2026-12", "periodKind": "month", "current": true, "budget": 500, "spent": 79, "reserved": 48,
             "remaining": 373, "jobs": 4, "jobsReserving": 1,
             "byDay": [{"day": "2026-12-01", "spent": 0, "jobs": 0}, {"day": "2026-12-02", "spent": 79, "jobs": 3}]}
            """;

    @Test
    void printsThePeriodAgainstTheBudgetAndOneLineADay() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/usage", DECEMBER)) {
            assertThat(Outpaint.execute("usage", "--endpoint", api.url(), "--api-key", "k")).isZero();
            assertThat(api.queries()).containsExactly("null"); // the current period: the API's default
        }
        assertThat(console.out().lines().toList()).containsExactly(
                "PERIOD     2026-12 (month, current)",
                "BUDGET     500 creative units",
                "SPENT      79",
                "RESERVED   48 (1 running)",
                "REMAINING  373",
                "JOBS       4",
                "",
                String.format("%-10s %8s %5s", "DAY", "SPENT", "JOBS"),
                String.format("%-10s %8d %5d", "2026-12-01", 0, 0),
                String.format("%-10s %8d %5d", "2026-12-02", 79, 3));
    }

    @Test
    void withoutABudgetSaysSoAndShowsNoRemainder() throws Exception {
        String none = DECEMBER.replace("\"budget\": 500", "\"budget\": null").replace("\"remaining\": 373", "\"remaining\": null");
        try (StubApi api = new StubApi().answer("GET", "/usage", none)) {
            assertThat(Outpaint.execute("usage", "--endpoint", api.url(), "--api-key", "k", "--period", "2026-12")).isZero();
            assertThat(api.queries()).containsExactly("period=2026-12");
        }
        assertThat(console.out()).contains("BUDGET     none (the spend is kept all the same)").contains("REMAINING  -");
    }

    @Test
    void jsonPrintsTheApisAnswerAsItIs() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/usage", DECEMBER)) {
            assertThat(Outpaint.execute("usage", "--endpoint", api.url(), "--api-key", "k", "--json")).isZero();
        }
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(console.out()))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(DECEMBER));
    }

    @Test
    void aPeriodThatIsNoDateIsRefusedBeforeAnyCallAndTheApisRefusalIsOneLine() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/usage", 400, """
                {"error": {"code": "INVALID_REQUEST", "message": "period: a month as 2026-12 (BUDGET_PERIOD is month)",
                 "fields": [{"field": "period", "message": "period: a month as 2026-12 (BUDGET_PERIOD is month)"}]}}
                """)) {
            assertThat(Outpaint.execute("usage", "--endpoint", api.url(), "--api-key", "k", "--period", "december")).isEqualTo(2);
            assertThat(console.err()).contains("--period december is not allowed; allowed: a month as 2026-12 or a day as 2026-12-07");
            assertThat(api.requests()).isEmpty();

            assertThat(Outpaint.execute("usage", "--endpoint", api.url(), "--api-key", "k", "--period", "2026-12-07")).isEqualTo(1);
            assertThat(console.err()).contains("a month as 2026-12 (BUDGET_PERIOD is month)").doesNotContain("\tat ");
        }
    }
}
