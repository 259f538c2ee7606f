package io.outpaint.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetGate;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.budget.BudgetPeriod;
import io.outpaint.budget.Estimator;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.InMemoryBudgetLedger;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Admission under a budget, on the in-memory stores: who is admitted, who waits and why, and the books after each end. */
class BudgetAdmissionTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    private static final String TODAY = "2026-11-24";
    private static final int ESTIMATE = 40;

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    /** A budget for two jobs a day; tests raise it as an operator would. */
    private final AtomicReference<Optional<Budget>> budget = new AtomicReference<>(Optional.of(new Budget(2 * ESTIMATE, BudgetPeriod.DAY)));
    private final BudgetGate gate = new BudgetGate(ledger, budget::get, clock);

    private Dispatcher dispatcher(BudgetGate over) {
        return new Dispatcher(jobs, slots, executions, 5, clock, Duration.ZERO, d -> { }, over);
    }

    private Admission admission() {
        return new Admission(slots, dispatcher(gate), null, jobId -> jobs.find(jobId).ifPresent(gate::settle));
    }

    private void queue(String... ids) {
        for (int i = 0; i < ids.length; i++) {
            Job job = Job.queued(ids[i], JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                    new Job.Source("api", "b", "inputs/" + ids[i] + ".mp4", null, null, 1L, "video/mp4"), null, null, T0.plusSeconds(i), 1);
            jobs.create(job.withBilling(Job.Billing.NONE.withEstimate(ESTIMATE), job.createdAt())
                    .moveTo(JobStatus.WAITING_FOR_SLOT, job.createdAt(), null));
        }
    }

    private JobStatus status(String id) {
        return jobs.get(id).status();
    }

    private String lastNote(String id) {
        List<Job.StatusChange> history = jobs.get(id).history();
        return history.get(history.size() - 1).note();
    }

    /** Scenario's job ended with {@code billed} units and the job with {@code status}, as CheckStatus and RecordFailure record it. */
    private void end(String id, int billed, JobStatus status) {
        jobs.update(id, j -> j.withScenario(j.scenario().withJob("scn-" + id, now.get()), now.get())
                .withBilling(j.billingOrNone().withBilled(billed), now.get()).moveTo(status, now.get(), null));
        admission().release(id);
    }

    @Test
    void aLongClipsParentReservesNothingWhileItsSegmentsReserveAndSettleTheirOwn() {
        // the parent: planned in three segments, its estimate their sum, above the day's budget of 80
        io.outpaint.segments.SegmentPlan plan = io.outpaint.segments.SegmentPlanner.plan(960, 24, 16,
                io.outpaint.segments.SegmentRules.model(), List.of(), 1);
        assertThat(plan.count()).isEqualTo(3);
        Job queued = Job.queued("p", JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/p.mp4", null, null, 1L, "video/mp4"), null, null, T0, 1);
        jobs.create(queued.withSegments(io.outpaint.segments.Segments.planned(plan), T0)
                .withBilling(Job.Billing.NONE.withEstimate(3 * ESTIMATE), T0).moveTo(JobStatus.WAITING_FOR_SLOT, T0, null));
        queue("later"); // another job, admitted beside the parent

        assertThat(dispatcher(gate).dispatch()).containsExactlyInAnyOrder("p", "later");
        assertThat(jobs.get("p").billingOrNone().budgetPeriod()).as("no hold of its own").isNull();
        assertThat(ledger.holds(TODAY)).containsOnlyKeys("later");

        // its split queues the segments at its place, each with its own estimate, and gives its slot back
        List<String> ids = plan.segments().stream().map(s -> io.outpaint.segments.Segments.jobId("p", s.index(), 1)).toList();
        Job split = jobs.update("p", j -> j.moveTo(JobStatus.SPLITTING, T0, null)
                .withSegments(io.outpaint.segments.Segments.split(io.outpaint.segments.Segments.planned(plan), ids), T0)
                .moveTo(JobStatus.RENDERING_SEGMENTS, T0, null));
        for (int i = 0; i < plan.count(); i++) {
            Job segment = io.outpaint.segments.Segments.segmentJob(split, i, 1, "b", 1L);
            jobs.create(segment.withBilling(Job.Billing.NONE.withEstimate(ESTIMATE), T0).moveTo(JobStatus.WAITING_FOR_SLOT, T0, null));
        }
        admission().release("p");

        // one segment fits beside the job admitted before the split; the other two wait for the budget, in order
        assertThat(status(ids.get(0))).isEqualTo(JobStatus.ADMITTED);
        assertThat(List.of(status(ids.get(1)), status(ids.get(2)))).containsOnly(JobStatus.WAITING_FOR_BUDGET);
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 80, 2));

        end("later", 40, JobStatus.SUCCEEDED);
        end(ids.get(0), 35, JobStatus.SUCCEEDED);
        end(ids.get(1), 0, JobStatus.FAILED); // a refunded failure
        budget.set(Optional.of(new Budget(10 * ESTIMATE, BudgetPeriod.DAY)));
        dispatcher(gate).dispatch();
        end(ids.get(2), 38, JobStatus.SUCCEEDED);
        // the parent ends: its own end settles nothing, and its billed units are its segments' sum
        jobs.update("p", j -> j.moveTo(JobStatus.JOINING, now.get(), null).moveTo(JobStatus.SUCCEEDED, now.get(), null));
        admission().release("p");
        gate.heal(jobs::find);

        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 40 + 35 + 38, 0, 0));
        assertThat(io.outpaint.segments.Segments.billed(jobs.get("p"), jobs::find)).contains(35 + 0 + 38);
        assertThat(BudgetGate.unitsSpent(jobs.get("p"))).isZero();
    }

    @Test
    void fiveJobsUnderABudgetForTwoAdmitTwoAndHoldThreeInOrder() {
        queue("a", "b", "c", "d", "e");
        assertThat(dispatcher(gate).dispatch()).containsExactly("a", "b");

        assertThat(executions.started()).containsExactlyInAnyOrder("a", "b"); // nothing started for the others
        assertThat(slots.holders()).containsExactlyInAnyOrder("a", "b");      // and no slot kept by a job that waits
        assertThat(List.of(status("c"), status("d"), status("e"))).containsOnly(JobStatus.WAITING_FOR_BUDGET);
        assertThat(jobs.get("a").billing().budgetPeriod()).isEqualTo(TODAY);
        assertThat(jobs.get("c").billingOrNone().budgetPeriod()).isNull();
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 80, 2));
        assertThat(lastNote("c")).contains("budget of " + TODAY + " is 80 creative units, 80 of them").contains("estimate of 40");
        assertThat(lastNote("d")).contains("behind job c");
        // their places are kept: the queue is still in creation order
        assertThat(jobs.waiting(10)).extracting(Job::jobId).containsExactly("c", "d", "e");
        assertThat(jobs.waitingAhead(jobs.get("e"))).isEqualTo(2);
        // a dispatch while the budget is spent changes nothing and starts nothing
        assertThat(dispatcher(gate).dispatch()).isEmpty();
        assertThat(executions.started()).hasSize(2);
    }

    @Test
    void aRefundedFailureFreesItsUnitsForTheNextJobAndASuccessSettlesToWhatWasBilled() {
        queue("a", "b", "c", "d", "e");
        dispatcher(gate).dispatch();

        end("a", 0, JobStatus.FAILED); // Scenario refunds a failure
        assertThat(status("c")).isEqualTo(JobStatus.ADMITTED);
        assertThat(List.of(status("d"), status("e"))).containsOnly(JobStatus.WAITING_FOR_BUDGET);
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 80, 2));

        end("b", 30, JobStatus.SUCCEEDED); // billed below its estimate: 30 spent, 40 reserved by c, 10 left
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 30, 40, 1));
        assertThat(status("d")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);

        end("c", 30, JobStatus.SUCCEEDED); // 60 spent: 20 left, still not 40
        assertThat(status("d")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 60, 0, 0));
        admission().release("c"); // a repeated end settles nothing twice
        assertThat(ledger.books(TODAY).spent()).isEqualTo(60);
    }

    @Test
    void aJobCanceledBeforeScenarioSettlesToNothing() {
        queue("a", "b", "c");
        dispatcher(gate).dispatch();
        jobs.update("a", j -> j.moveTo(JobStatus.CANCELED, now.get(), "canceled through the API"));
        admission().release("a");
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 80, 2));
        assertThat(status("c")).isEqualTo(JobStatus.ADMITTED);
    }

    @Test
    void aNewPeriodAdmitsTheJobsWaitingInOrder() {
        queue("a", "b", "c", "d", "e");
        dispatcher(gate).dispatch();
        now.set(T0.plus(Duration.ofDays(1)));
        assertThat(dispatcher(gate).dispatch()).containsExactly("c", "d"); // as the sweep's dispatch does
        assertThat(status("e")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(jobs.get("c").billing().budgetPeriod()).isEqualTo("2026-11-25");
        // a and b still settle in the period they reserved in
        end("a", 35, JobStatus.SUCCEEDED);
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 35, 40, 1));
        assertThat(status("e")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
    }

    @Test
    void raisingTheBudgetAdmitsTheWaitingInOrder() {
        queue("a", "b", "c", "d", "e");
        dispatcher(gate).dispatch();
        budget.set(Optional.of(new Budget(200, BudgetPeriod.DAY)));
        assertThat(dispatcher(gate).dispatch()).containsExactly("c", "d", "e");
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 200, 5));
        assertThat(jobs.get("e").history()).extracting(Job.StatusChange::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.WAITING_FOR_SLOT, JobStatus.WAITING_FOR_BUDGET, JobStatus.ADMITTED);
    }

    @Test
    void aSmallerJobBehindOneTheBudgetHoldsBackDoesNotOvertakeIt() {
        queue("a", "big", "small");
        jobs.update("big", j -> j.withBilling(j.billing().withEstimate(60), now.get()));
        jobs.update("small", j -> j.withBilling(j.billing().withEstimate(10), now.get()));
        assertThat(dispatcher(gate).dispatch()).containsExactly("a");
        assertThat(status("big")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(status("small")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(lastNote("small")).contains("behind job big");
    }

    @Test
    void aJobWithoutAnEstimateWaitsWithTheReason() {
        queue("x");
        jobs.update("x", j -> j.withBilling(Job.Billing.NONE, now.get()));
        assertThat(dispatcher(gate).dispatch()).isEmpty();
        assertThat(status("x")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(lastNote("x")).contains("cost is not known");
        assertThat(executions.started()).isEmpty();
    }

    @Test
    void withoutABudgetNothingWaitsForItAndTheSpendIsStillOnTheBooks() {
        budget.set(Optional.empty());
        queue("a", "b", "c", "d", "e");
        assertThat(dispatcher(gate).dispatch()).containsExactly("a", "b", "c", "d", "e");
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 200, 5)); // held, never refused
        assertThat(jobs.get("a").billing().budgetPeriod()).isEqualTo(TODAY);
        assertThat(lastNote("a")).contains("on the books of " + TODAY).doesNotContain("budget period");

        end("a", 31, JobStatus.SUCCEEDED);
        end("b", 0, JobStatus.FAILED);
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 31, 120, 3));
        assertThat(ledger.days(TODAY)).containsExactly(new BudgetLedger.Day(TODAY, 31, 2));
    }

    /** A queue that priced nothing: the estimator the dispatcher asks, answering as the test sets it. */
    private final AtomicReference<Estimator.Outcome> pricing = new AtomicReference<>(new Estimator.Outcome.NotNow("no price cached"));
    private final java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Dispatcher pricingDispatcher() {
        return new Dispatcher(jobs, slots, executions, 5, clock, Duration.ZERO, d -> { }, gate, job -> {
            asked.add(job.jobId());
            return pricing.get();
        });
    }

    private void unpriced(String id) {
        jobs.update(id, j -> j.withBilling(Job.Billing.NONE, now.get()));
    }

    @Test
    void aJobQueuedWithoutAPriceIsPricedByTheNextDispatchThatCanAndThenAdmittedInItsTurn() {
        queue("x", "y");
        unpriced("x");
        assertThat(pricingDispatcher().dispatch()).isEmpty();
        assertThat(asked).containsExactly("x");
        assertThat(status("x")).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(lastNote("x")).contains("cost is not known yet").contains("no price cached");
        assertThat(status("y")).isEqualTo(JobStatus.WAITING_FOR_BUDGET); // order kept: y does not overtake it
        assertThat(lastNote("y")).contains("behind job x");
        assertThat(executions.started()).isEmpty();

        pricing.set(new Estimator.Outcome.Priced(ESTIMATE, null)); // a dispatch that may ask Scenario (the sweep's)
        assertThat(pricingDispatcher().dispatch()).containsExactly("x", "y");
        assertThat(jobs.get("x").billing().estimate()).isEqualTo(ESTIMATE);
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 80, 2));
        assertThat(asked).containsExactly("x", "x"); // y had its estimate: never asked
    }

    @Test
    void aJobThatCanNeverBePricedFailsInTheQueueAndTheNextIsAdmitted() {
        queue("gone", "next");
        unpriced("gone");
        pricing.set(new Estimator.Outcome.Never("INVALID_INPUT", "its video cannot be read: no object inputs/gone.mp4"));

        assertThat(pricingDispatcher().dispatch()).containsExactly("next");

        assertThat(status("gone")).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.get("gone").error().code()).isEqualTo("INVALID_INPUT");
        assertThat(jobs.get("gone").error().message()).contains("no object inputs/gone.mp4");
        assertThat(executions.started()).containsExactly("next");
        assertThat(ledger.holds(TODAY)).containsOnlyKeys("next"); // nothing reserved for the failed one
    }

    @Test
    void withoutABudgetNoJobIsPriced() {
        budget.set(Optional.empty());
        queue("x");
        unpriced("x");
        assertThat(pricingDispatcher().dispatch()).containsExactly("x");
        assertThat(asked).isEmpty();
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 0, 0, 1)); // on the books at 0 until it ends
    }

    /**
     * Books read by each dispatcher at the same moment (both see 40 units left, so both plan to start x
     * and y): the conditional reservation decides. x, the head, is admitted once; y waits, its slot given back.
     */
    @Test
    void twoDispatchersRacingForTheLastUnitsOneWinsAndTheOtherJobWaits() throws Exception {
        for (int round = 0; round < 20; round++) {
            InMemoryJobStore fresh = new InMemoryJobStore();
            InMemorySlotLimiter freshSlots = new InMemorySlotLimiter();
            InMemoryBudgetLedger books = new InMemoryBudgetLedger();
            FakeExecutions started = new FakeExecutions();
            books.reserve("running", ESTIMATE, budget.get().orElseThrow(), T0);
            CountDownLatch together = new CountDownLatch(2);
            BudgetLedger stale = new StaleBooks(books, together);
            BudgetGate shared = new BudgetGate(stale, budget::get, clock);
            for (String id : List.of("x", "y")) {
                Job job = Job.queued(id, JsonNodeFactory.instance.objectNode().put("prompt", "p"), null, null, null,
                        T0.plusSeconds(id.equals("x") ? 1 : 2), 1);
                fresh.create(job.withBilling(Job.Billing.NONE.withEstimate(ESTIMATE), job.createdAt())
                        .moveTo(JobStatus.WAITING_FOR_SLOT, job.createdAt(), null));
            }
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<String>>> passes = two.invokeAll(List.of(
                        () -> new Dispatcher(fresh, freshSlots, started, 5, clock, Duration.ZERO, d -> { }, shared).dispatch(),
                        () -> new Dispatcher(fresh, freshSlots, started, 5, clock, Duration.ZERO, d -> { }, shared).dispatch()));
                for (Future<List<String>> pass : passes) {
                    pass.get();
                }
            } finally {
                two.shutdownNow();
            }

            assertThat(fresh.get("x").status()).as("round " + round).isEqualTo(JobStatus.ADMITTED);
            assertThat(fresh.get("y").status()).as("round " + round).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
            assertThat(started.started()).as("round " + round).doesNotContain("y");
            assertThat(freshSlots.holders()).as("round " + round).containsExactly("x");
            assertThat(books.books(TODAY)).as("round " + round).isEqualTo(new BudgetLedger.Books(TODAY, 0, 80, 2));
        }
    }

    @Test
    void theSweepSettlesAHoldWhoseJobEndedWithoutSettling() {
        queue("a", "b");
        dispatcher(gate).dispatch();
        // a crash between the end's record and its settlement
        jobs.update("a", j -> j.withScenario(j.scenario().withJob("scn-a", now.get()), now.get())
                .withBilling(j.billingOrNone().withBilled(33), now.get()).moveTo(JobStatus.SUCCEEDED, now.get(), null));
        assertThat(gate.heal(jobs::find)).containsExactly("a");
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 33, 40, 1));
        assertThat(gate.heal(jobs::find)).isEmpty();
    }

    @Test
    void aJobThatReachedScenarioWithoutABilledFigureSettlesToItsEstimate() {
        queue("a");
        dispatcher(gate).dispatch();
        jobs.update("a", j -> j.withScenario(j.scenario().withSubmitting(now.get()), now.get())
                .moveTo(JobStatus.FAILED, now.get(), "EXECUTION_ABORTED"));
        admission().release("a");
        assertThat(ledger.books(TODAY)).isEqualTo(new BudgetLedger.Books(TODAY, 40, 0, 0));
    }

    /** A ledger whose first read of the books, by each of two callers, waits for the other: both see them as they were. */
    private static final class StaleBooks implements BudgetLedger {
        private final BudgetLedger real;
        private final CountDownLatch together;
        private final Map<String, Books> first = new java.util.concurrent.ConcurrentHashMap<>();

        StaleBooks(BudgetLedger real, CountDownLatch together) {
            this.real = real;
            this.together = together;
        }

        @Override
        public Reservation reserve(String jobId, int units, Budget budget, Instant at) {
            return real.reserve(jobId, units, budget, at);
        }

        @Override
        public void settle(String jobId, String period, int billed, Instant at) {
            real.settle(jobId, period, billed, at);
        }

        @Override
        public List<Day> days(String period) {
            return real.days(period);
        }

        @Override
        public Books books(String period) {
            Books seen = first.computeIfAbsent(period + Thread.currentThread().getId(), k -> real.books(period));
            together.countDown();
            try {
                together.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return seen;
        }

        @Override
        public Map<String, Integer> holds(String period) {
            return real.holds(period);
        }
    }
}
