package io.outpaint.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The admission queue's rules, on the in-memory stores: order, the limit, and no lost wake-up. */
class DispatcherTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    private Dispatcher dispatcher(int limit) {
        return new Dispatcher(jobs, slots, executions, limit, clock);
    }

    private JobStarter starter(int limit) {
        return new JobStarter(jobs, new Admission(slots, dispatcher(limit)), clock);
    }

    private static Job job(String id, int second) {
        return Job.queued(id, JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/" + id + ".mp4", null, null, 1L, "video/mp4"), null, null, T0.plusSeconds(second), 1);
    }

    /** Creates the job's record in the queue without dispatching, as a crash right after the write would leave it. */
    private void queueOnly(Job job) {
        jobs.create(job.moveTo(JobStatus.WAITING_FOR_SLOT, job.createdAt(), null));
    }

    @Test
    void admitsInCreationOrderUpToTheLimit() {
        queueOnly(job("c", 3));
        queueOnly(job("a", 1));
        queueOnly(job("b", 2));
        queueOnly(job("d", 4));
        assertThat(dispatcher(2).dispatch()).containsExactly("a", "b");
        // a batch's executions are started at once: its slots, taken in order, fix who goes first
        assertThat(executions.started()).containsExactlyInAnyOrder("a", "b");
        assertThat(jobs.get("a").status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(jobs.get("a").executionArn()).isEqualTo(FakeExecutions.MACHINE + "a");
        assertThat(jobs.waiting(10)).extracting(Job::jobId).containsExactly("c", "d");
        assertThat(jobs.waitingAhead(jobs.get("d"))).isEqualTo(1);
        assertThat(dispatcher(2).dispatch()).isEmpty(); // full: nothing more
    }

    @Test
    void aSlotFreedWhileAJobIsQueuedIsNotLostInEitherOrder() {
        // A holds the only slot. B is queued and dispatches while A still holds it; then A frees it
        // and dispatches: A's dispatch finds B.
        JobStarter starter = starter(1);
        starter.start(job("A", 0));
        starter.start(job("B", 1));
        assertThat(jobs.get("B").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        new Admission(slots, dispatcher(1)).release("A");
        assertThat(jobs.get("B").status()).isEqualTo(JobStatus.ADMITTED);

        // the other order: the slot is freed (and its dispatch finds nobody) just before C is queued; C's own dispatch takes it
        new Admission(slots, dispatcher(1)).release("B");
        assertThat(slots.holders()).isEmpty();
        starter.start(job("C", 2));
        assertThat(jobs.get("C").status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(executions.started()).containsExactly("A", "B", "C");
    }

    @Test
    void twoSlotsFreedAtOnceAdmitTwoJobs() {
        JobStarter starter = starter(2);
        IntStream.range(0, 5).forEach(i -> starter.start(job("j" + i, i)));
        assertThat(slots.holders()).containsExactlyInAnyOrder("j0", "j1");
        slots.release("j0");
        slots.release("j1");
        assertThat(dispatcher(2).dispatch()).containsExactly("j2", "j3");
    }

    @Test
    void twoSlotsFreedAtOnceByTwoFunctionsAdmitTwoJobsInOrder() throws Exception {
        JobStarter starter = starter(2);
        IntStream.range(0, 6).forEach(i -> starter.start(job("j" + i, i)));
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<?>> releases = new ArrayList<>();
        for (String holder : List.of("j0", "j1")) {
            releases.add(pool.submit(() -> {
                together.await(5, TimeUnit.SECONDS);
                new Admission(slots, dispatcher(2)).release(holder);
                return null;
            }));
        }
        for (var release : releases) {
            release.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(slots.holders()).containsExactlyInAnyOrder("j2", "j3");
        assertThat(jobs.get("j4").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(executions.started()).startsWith("j0", "j1").containsExactlyInAnyOrder("j0", "j1", "j2", "j3");
    }

    @Test
    void aJobTheIndexDoesNotShowYetIsAdmittedByItsOwnDispatchAfterTheJobsTheIndexShows() {
        LaggingIndex lagging = new LaggingIndex(jobs);
        List<Duration> sleeps = new ArrayList<>();
        Dispatcher dispatcher = new Dispatcher(lagging, slots, executions, 1, clock, Duration.ofSeconds(1), sleeps::add);
        JobStarter starter = new JobStarter(lagging, new Admission(slots, dispatcher), clock);
        queueOnly(job("older", 0));
        lagging.hide("newer", 1);
        starter.start(job("newer", 1));
        assertThat(jobs.get("older").status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(jobs.get("newer").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);

        lagging.hide("alone", Integer.MAX_VALUE);
        new Admission(slots, dispatcher).release("older");
        new Admission(slots, dispatcher).release("newer");
        starter.start(job("alone", 2)); // never in the index: its own dispatch reads it from the table
        assertThat(jobs.get("alone").status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(executions.started()).containsExactly("older", "newer", "alone");
    }

    @Test
    void aSlotFreedWhileTheIndexLagsBehindAJobJustQueuedIsFoundByASecondLook() {
        for (Duration lag : List.of(Duration.ZERO, Duration.ofSeconds(1))) {
            InMemoryJobStore store = new InMemoryJobStore();
            InMemorySlotLimiter limiter = new InMemorySlotLimiter();
            FakeExecutions started = new FakeExecutions();
            LaggingIndex lagging = new LaggingIndex(store);
            List<Duration> sleeps = new ArrayList<>();
            Dispatcher dispatcher = new Dispatcher(lagging, limiter, started, 1, clock, lag, sleeps::add);
            JobStarter starter = new JobStarter(lagging, new Admission(limiter, dispatcher), clock);
            starter.start(job("A", 0));
            // B is queued while A holds the slot; the index shows B neither to B's dispatch nor to A's first look
            lagging.hide("B", 2);
            starter.start(job("B", 1));
            assertThat(sleeps).as("a dispatch by whoever queued a job does not wait").isEmpty();
            new Admission(limiter, dispatcher).release("A");
            if (lag.isZero()) {
                // without a second look (an index consistent at once needs none) B would wait for the sweep
                assertThat(store.get("B").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
            } else {
                assertThat(sleeps).containsExactly(lag);
                assertThat(store.get("B").status()).isEqualTo(JobStatus.ADMITTED);
                assertThat(started.started()).containsExactly("A", "B");
            }
        }
    }

    @Test
    void aStartThatFailsKeepsTheHeadsPlaceAndItsSlot() {
        queueOnly(job("first", 1));
        queueOnly(job("second", 2));
        executions.failNext(1, SdkClientException.create("connection reset"));
        assertThatThrownBy(() -> dispatcher(1).dispatch()).isInstanceOf(SdkClientException.class);
        assertThat(jobs.get("first").status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(slots.holders()).containsExactly("first"); // nobody overtakes it
        assertThat(dispatcher(1).dispatch()).containsExactly("first");
        assertThat(executions.started()).containsExactly("first");
    }

    @Test
    void aJobWhoseSlotAnotherDispatcherTookIsLeftToItThenStartedIfItStillWaits() {
        queueOnly(job("taken", 1));
        queueOnly(job("next", 2));
        slots.tryAcquire("taken", 2); // another dispatcher took its slot and has not started it yet (or failed to)
        assertThat(dispatcher(2).dispatch()).containsExactly("next", "taken");
        assertThat(executions.started()).containsExactly("next", "taken");
        assertThat(jobs.get("taken").status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(slots.holders()).containsExactlyInAnyOrder("taken", "next");
    }

    @Test
    void aStartRefusedForGoodEndsThatJobWithTheReasonAndAdmitsTheNext() {
        queueOnly(job("refused", 1));
        queueOnly(job("next", 2));
        executions.failNext(1, new Executions.StartRefusedException("Step Functions refused to start refused: InvalidName", null));
        assertThat(dispatcher(1).dispatch()).containsExactly("next");
        Job refused = jobs.get("refused");
        assertThat(refused.status()).isEqualTo(JobStatus.FAILED);
        assertThat(refused.error().code()).isEqualTo("EXECUTION_NOT_STARTED");
        assertThat(refused.error().message()).contains("InvalidName");
    }

    @Test
    void aJobCanceledWhileBeingAdmittedGivesItsSlotBack() {
        queueOnly(job("gone", 1));
        queueOnly(job("stays", 2));
        InMemoryJobStore store = jobs;
        Dispatcher racing = new Dispatcher(new CancelOnFirstGet(store, "gone"), slots, executions, 1, clock);
        assertThat(racing.dispatch()).containsExactly("stays");
        assertThat(jobs.get("gone").status()).isEqualTo(JobStatus.CANCELED);
        assertThat(slots.holders()).containsExactly("stays");
    }

    @Test
    void dispatchersRunningAtOnceNeverGoOverTheLimitNorOutOfOrder() throws Exception {
        for (int i = 0; i < 40; i++) {
            queueOnly(job(String.format("job-%02d", i), i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> done = new ArrayList<>();
        for (int round = 0; round < 14; round++) {
            List<java.util.concurrent.Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> dispatcher(3).dispatch()));
            }
            for (var run : runs) {
                run.get(10, TimeUnit.SECONDS);
            }
            assertThat(slots.holders()).hasSizeLessThanOrEqualTo(3);
            // each round admits the next ones in creation order (starts within a round may interleave)
            List<String> admitted = slots.holders().stream().sorted().toList();
            done.addAll(admitted);
            admitted.forEach(slots::release);
        }
        pool.shutdown();
        assertThat(done).hasSize(40).isSorted();
        assertThat(executions.started()).hasSize(40).doesNotHaveDuplicates();
    }

    /** The real store, except that the first read of one job finds it canceled by a user a moment before. */
    private static final class CancelOnFirstGet implements io.outpaint.store.JobStore {
        private final InMemoryJobStore real;
        private final String victim;
        private boolean done;

        CancelOnFirstGet(InMemoryJobStore real, String victim) {
            this.real = real;
            this.victim = victim;
        }

        @Override public java.util.Optional<Job> find(String jobId) {
            if (jobId.equals(victim) && !done) {
                done = true;
                real.update(jobId, j -> j.moveTo(JobStatus.CANCELED, T0, "canceled through the API"));
            }
            return real.find(jobId);
        }
        @Override public boolean create(Job job) { return real.create(job); }
        @Override public Job update(String jobId, java.util.function.UnaryOperator<Job> change) { return real.update(jobId, change); }
        @Override public List<Job> waiting(int limit) { return real.waiting(limit); }
        @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
        @Override public Page list(java.util.Optional<JobStatus> status, int limit, java.util.Optional<String> token) { return real.list(status, limit, token); }
    }

    /** The real store, whose queue index does not show some jobs for a number of reads, as DynamoDB's may lag. */
    private static final class LaggingIndex implements io.outpaint.store.JobStore {
        private final InMemoryJobStore real;
        private final java.util.Map<String, Integer> hidden = new java.util.HashMap<>();

        LaggingIndex(InMemoryJobStore real) {
            this.real = real;
        }

        void hide(String jobId, int reads) {
            hidden.put(jobId, reads);
        }

        @Override public synchronized List<Job> waiting(int limit) {
            List<Job> shown = real.waiting(limit).stream().filter(j -> hidden.getOrDefault(j.jobId(), 0) <= 0).toList();
            hidden.replaceAll((id, reads) -> reads == Integer.MAX_VALUE ? reads : reads - 1);
            return shown;
        }
        @Override public java.util.Optional<Job> find(String jobId) { return real.find(jobId); }
        @Override public boolean create(Job job) { return real.create(job); }
        @Override public Job update(String jobId, java.util.function.UnaryOperator<Job> change) { return real.update(jobId, change); }
        @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
        @Override public Page list(java.util.Optional<JobStatus> status, int limit, java.util.Optional<String> token) { return real.list(status, limit, token); }
    }
}
