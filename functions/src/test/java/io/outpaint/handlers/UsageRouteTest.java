package io.outpaint.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.config.PipelineConfig;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.InMemoryJobStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /usage} through the handler's routes, over the in-memory books: the figures, the days, and the refusals. */
class UsageRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");

    private static ApiHandler handler(Map<String, String> budget, java.util.function.Consumer<BudgetLedger> books) {
        System.setProperty("aws.region", "us-east-1");
        Map<String, String> env = new HashMap<>(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b"));
        env.putAll(budget);
        PipelineServices services = new PipelineServices(PipelineConfig.fromEnvironment(env), Clock.fixed(NOW, ZoneOffset.UTC), null,
                new InMemoryJobStore(), null, null, null, null, null, null, null, null);
        books.accept(services.budgets().ledger());
        return new ApiHandler(services);
    }

    private static APIGatewayV2HTTPResponse get(ApiHandler handler, String method, Map<String, String> query) {
        return handler.handle(APIGatewayV2HTTPEvent.builder().withRawPath("/usage").withQueryStringParameters(query)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build()).build())
                .build(), null);
    }

    /** Under a month's budget of 500: 3 jobs ended over two days (one refunded), one still holding 48. */
    private static void monthOfSpend(BudgetLedger ledger) {
        io.outpaint.budget.Budget budget = new io.outpaint.budget.Budget(500, io.outpaint.budget.BudgetPeriod.MONTH);
        Instant second = Instant.parse("2026-12-02T10:00:00Z");
        for (String job : new String[] {"a", "b", "c", "d"}) {
            ledger.reserve(job, 48, budget, second);
        }
        ledger.settle("a", "2026-12", 47, second);
        ledger.settle("b", "2026-12", 0, second);
        ledger.settle("c", "2026-12", 32, NOW);
        ledger.reserve("old", 10, budget, Instant.parse("2026-11-30T10:00:00Z"));
        ledger.settle("old", "2026-11", 10, Instant.parse("2026-11-30T11:00:00Z"));
    }

    @Test
    void answersTheCurrentPeriodsSpendReservedRemainingJobsAndEachDaySoFar() throws Exception {
        APIGatewayV2HTTPResponse answer = get(handler(Map.of("BUDGET_CREATIVE_UNITS", "500", "BUDGET_PERIOD", "month"),
                UsageRouteTest::monthOfSpend), "GET", null);

        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
        JsonNode usage = JSON.readTree(answer.getBody());
        assertThat(usage.path("period").asText()).isEqualTo("2026-12");
        assertThat(usage.path("periodKind").asText()).isEqualTo("month");
        assertThat(usage.path("current").asBoolean()).isTrue();
        assertThat(usage.path("budget").asLong()).isEqualTo(500);
        assertThat(usage.path("spent").asLong()).isEqualTo(79);
        assertThat(usage.path("reserved").asLong()).isEqualTo(48);
        assertThat(usage.path("remaining").asLong()).isEqualTo(500 - 79 - 48);
        assertThat(usage.path("jobs").asInt()).isEqualTo(4);
        assertThat(usage.path("jobsReserving").asInt()).isEqualTo(1);
        JsonNode days = usage.path("byDay");
        assertThat(days).hasSize(7); // the 1st to today, the 7th
        assertThat(days.get(0)).isEqualTo(JSON.readTree("{\"day\":\"2026-12-01\",\"spent\":0,\"jobs\":0}"));
        assertThat(days.get(1)).isEqualTo(JSON.readTree("{\"day\":\"2026-12-02\",\"spent\":47,\"jobs\":2}"));
        assertThat(days.get(6)).isEqualTo(JSON.readTree("{\"day\":\"2026-12-07\",\"spent\":32,\"jobs\":1}"));
    }

    @Test
    void answersAPastPeriodNamedInTheQuery() throws Exception {
        JsonNode usage = JSON.readTree(get(handler(Map.of("BUDGET_CREATIVE_UNITS", "500", "BUDGET_PERIOD", "month"),
                UsageRouteTest::monthOfSpend), "GET", Map.of("period", "2026-11")).getBody());
        assertThat(usage.path("period").asText()).isEqualTo("2026-11");
        assertThat(usage.path("current").asBoolean()).isFalse();
        assertThat(usage.path("spent").asLong()).isEqualTo(10);
        assertThat(usage.path("byDay")).hasSize(30);
        assertThat(usage.path("byDay").get(29).path("spent").asLong()).isEqualTo(10);
    }

    @Test
    void withoutABudgetTheSpendIsShownAndRemainingIsNull() throws Exception {
        APIGatewayV2HTTPResponse answer = get(handler(Map.of("BUDGET_CREATIVE_UNITS", "none", "BUDGET_PERIOD", "day"), ledger -> {
            ledger.reserve("a", 48, new io.outpaint.budget.Budget(Long.MAX_VALUE, io.outpaint.budget.BudgetPeriod.DAY), NOW);
            ledger.settle("a", "2026-12-07", 47, NOW);
        }), "GET", Map.of("period", "2026-12-07"));
        JsonNode usage = JSON.readTree(answer.getBody());
        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(usage.path("budget").isNull()).isTrue();
        assertThat(usage.path("remaining").isNull()).isTrue();
        assertThat(usage.path("spent").asLong()).isEqualTo(47);
        assertThat(usage.path("periodKind").asText()).isEqualTo("day");
        assertThat(usage.path("byDay")).hasSize(1);
    }

    @Test
    void refusesAPeriodOfTheOtherKindOrNotADateNamingTheFieldAndWhatIsAllowed() throws Exception {
        ApiHandler monthly = handler(Map.of("BUDGET_CREATIVE_UNITS", "500", "BUDGET_PERIOD", "month"), l -> { });
        for (String bad : new String[] {"2026-12-07", "2026-13", "december", "2026-1"}) {
            APIGatewayV2HTTPResponse answer = get(monthly, "GET", Map.of("period", bad));
            assertThat(answer.getStatusCode()).as(bad).isEqualTo(400);
            JsonNode error = JSON.readTree(answer.getBody()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(error.path("fields").get(0).path("field").asText()).isEqualTo("period");
            assertThat(error.path("message").asText()).contains("period").contains("a month as 2026-12").contains("BUDGET_PERIOD is month");
        }
        ApiHandler daily = handler(Map.of("BUDGET_CREATIVE_UNITS", "500", "BUDGET_PERIOD", "day"), l -> { });
        JsonNode error = JSON.readTree(get(daily, "GET", Map.of("period", "2026-02-30")).getBody()).path("error");
        assertThat(error.path("message").asText()).contains("a day as 2026-12-07");
    }

    @Test
    void refusesAnUnknownParameterAndAnotherMethod() throws Exception {
        ApiHandler handler = handler(Map.of(), l -> { });
        APIGatewayV2HTTPResponse unknown = get(handler, "GET", Map.of("month", "2026-12"));
        assertThat(unknown.getStatusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(unknown.getBody()).path("error");
        assertThat(error.path("fields").get(0).path("field").asText()).isEqualTo("month");
        assertThat(error.path("message").asText()).contains("allowed: period");
        APIGatewayV2HTTPResponse post = get(handler, "POST", null);
        assertThat(post.getStatusCode()).isEqualTo(405);
        assertThat(post.getHeaders()).containsEntry("Allow", "GET");
    }
}
