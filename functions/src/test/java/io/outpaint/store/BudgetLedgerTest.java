package io.outpaint.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.budget.BudgetLedger.Reservation;
import io.outpaint.budget.BudgetPeriod;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/** The reservation arithmetic, the same on the in-memory ledger and on DynamoDB Local. */
class BudgetLedgerTest {

    private static final Instant NOON = Instant.parse("2026-05-14T12:00:00Z");
    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
        DynamoJobStore.createTableIfMissing(dynamo, "jobs");
    }

    @AfterAll
    static void stop() {
        local.shutdown();
    }

    static Stream<String> ledgers() {
        return Stream.of("memory", "dynamo");
    }

    /** A fresh ledger: each DynamoDB test in periods of its own (a month in a year no other test uses). */
    private static BudgetLedger ledger(String kind) {
        return kind.equals("memory") ? new InMemoryBudgetLedger() : new DynamoBudgetLedger(dynamo, "jobs");
    }

    private static Instant fresh(String kind) {
        return kind.equals("memory") ? NOON : NOON.plus(java.time.Duration.ofDays(366L * (1 + Math.floorMod(UUID.randomUUID().hashCode(), 5000))));
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void reservesWhileTheUnitsFitAndRefusesTheOneThatWouldNot(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant now = fresh(kind);
        Budget budget = new Budget(100, BudgetPeriod.MONTH);

        assertThat(ledger.reserve("a", 48, budget, now)).isInstanceOf(Reservation.Reserved.class);
        assertThat(ledger.reserve("b", 48, budget, now)).isInstanceOf(Reservation.Reserved.class);
        Reservation third = ledger.reserve("c", 48, budget, now);

        assertThat(third).isEqualTo(new Reservation.OverBudget(BudgetPeriod.MONTH.of(now), 96, 48, 100));
        assertThat(ledger.books(third.period())).isEqualTo(new BudgetLedger.Books(third.period(), 0, 96, 2));
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void aRepeatedReservationOfTheSameJobCountsOnce(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant now = fresh(kind);
        Budget budget = new Budget(100, BudgetPeriod.MONTH);
        ledger.reserve("a", 60, budget, now);

        assertThat(ledger.reserve("a", 60, budget, now)).isInstanceOf(Reservation.HeldAlready.class);
        assertThat(ledger.books(BudgetPeriod.MONTH.of(now)).reserved()).isEqualTo(60);
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void ofTwoReservationsOfTheLastUnitsAtOnceOneWins(String kind) throws Exception {
        BudgetLedger ledger = ledger(kind);
        Instant now = fresh(kind);
        Budget budget = new Budget(100, BudgetPeriod.MONTH);
        ledger.reserve("first", 52, budget, now);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Reservation>> racers = List.of("x", "y").stream().map(id -> (Callable<Reservation>) () -> {
                together.await();
                return ledger.reserve(id, 48, budget, now);
            }).toList();
            List<Reservation> found = pool.invokeAll(racers).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(found).filteredOn(r -> r instanceof Reservation.Reserved).hasSize(1);
            assertThat(found).filteredOn(r -> r instanceof Reservation.OverBudget).hasSize(1);
            assertThat(ledger.books(BudgetPeriod.MONTH.of(now)).committed()).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void aSettlementReplacesTheReservationByWhatWasBilledOnceAndFreesTheRest(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant now = fresh(kind);
        Budget budget = new Budget(100, BudgetPeriod.MONTH);
        String period = BudgetPeriod.MONTH.of(now);
        ledger.reserve("a", 60, budget, now);
        assertThat(ledger.reserve("b", 60, budget, now)).isInstanceOf(Reservation.OverBudget.class);

        ledger.settle("a", period, 45, now);
        ledger.settle("a", period, 45, now); // a repeated settlement (a retried step) counts once

        assertThat(ledger.books(period)).isEqualTo(new BudgetLedger.Books(period, 45, 0, 0));
        assertThat(ledger.reserve("b", 55, budget, now)).isInstanceOf(Reservation.Reserved.class);
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void aRefundedFailureGivesAllItsUnitsBack(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant now = fresh(kind);
        Budget budget = new Budget(50, BudgetPeriod.DAY);
        String period = BudgetPeriod.DAY.of(now);
        ledger.reserve("failed", 48, budget, now);

        ledger.settle("failed", period, 0, now);

        assertThat(ledger.books(period)).isEqualTo(new BudgetLedger.Books(period, 0, 0, 0));
        assertThat(ledger.reserve("next", 48, budget, now)).isInstanceOf(Reservation.Reserved.class);
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void theNextPeriodOpensWithTheWholeBudgetAndALateSettlementLandsInItsOwnPeriod(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant lastMinute = fresh(kind).truncatedTo(java.time.temporal.ChronoUnit.DAYS).plusSeconds(86_399);
        Instant nextDay = lastMinute.plusSeconds(1);
        Budget budget = new Budget(50, BudgetPeriod.DAY);
        Reservation yesterday = ledger.reserve("late", 48, budget, lastMinute);
        assertThat(ledger.reserve("waiting", 48, budget, lastMinute)).isInstanceOf(Reservation.OverBudget.class);

        Reservation today = ledger.reserve("waiting", 48, budget, nextDay);
        ledger.settle("late", yesterday.period(), 48, nextDay);

        assertThat(today).isEqualTo(new Reservation.Reserved(BudgetPeriod.DAY.of(nextDay), 48));
        assertThat(ledger.books(yesterday.period())).isEqualTo(new BudgetLedger.Books(yesterday.period(), 48, 0, 0));
        assertThat(ledger.books(today.period())).isEqualTo(new BudgetLedger.Books(today.period(), 0, 48, 1));
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void aRaisedBudgetAdmitsWhatTheOldOneRefused(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant now = fresh(kind);
        ledger.reserve("a", 48, new Budget(50, BudgetPeriod.MONTH), now);
        assertThat(ledger.reserve("b", 48, new Budget(50, BudgetPeriod.MONTH), now)).isInstanceOf(Reservation.OverBudget.class);
        assertThat(ledger.reserve("b", 48, new Budget(100, BudgetPeriod.MONTH), now)).isInstanceOf(Reservation.Reserved.class);
    }

    @ParameterizedTest
    @MethodSource("ledgers")
    void eachSettlementCountsOnItsDayWithItsJobAndALateOneOnThePeriodsLastDay(String kind) {
        BudgetLedger ledger = ledger(kind);
        Instant first = fresh(kind).atZone(java.time.ZoneOffset.UTC).withDayOfMonth(1).toInstant();
        Budget budget = new Budget(1000, BudgetPeriod.MONTH);
        String month = BudgetPeriod.MONTH.of(first);
        for (String job : List.of("a", "b", "c", "d")) {
            ledger.reserve(job, 40, budget, first);
        }
        Instant third = first.plus(java.time.Duration.ofDays(2));
        ledger.settle("a", month, 30, first);
        ledger.settle("b", month, 0, third);  // a refunded failure: a job, no units
        ledger.settle("c", month, 45, third);
        ledger.settle("c", month, 45, third); // counted once
        Instant nextMonth = first.atZone(java.time.ZoneOffset.UTC).plusMonths(1).plusHours(1).toInstant();
        ledger.settle("d", month, 20, nextMonth); // admitted in this month, ended in the next

        String[] days = {first.toString().substring(0, 10), third.toString().substring(0, 10),
                first.atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(first.atZone(java.time.ZoneOffset.UTC)
                        .toLocalDate().lengthOfMonth()).toString()};
        assertThat(ledger.days(month)).containsExactly(new BudgetLedger.Day(days[0], 30, 1), new BudgetLedger.Day(days[1], 45, 2),
                new BudgetLedger.Day(days[2], 20, 1));
        assertThat(ledger.books(month)).isEqualTo(new BudgetLedger.Books(month, 95, 0, 0));
        assertThat(ledger.days(BudgetPeriod.MONTH.of(nextMonth))).isEmpty();
    }
}
