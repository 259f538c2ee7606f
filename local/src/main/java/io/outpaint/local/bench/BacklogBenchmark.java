package io.outpaint.local.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.queue.Executions;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.store.JobStore;
import io.outpaint.store.SlotLimiter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code bench backlog}: a backlog far above the limit, on a virtual clock. The queue runs the real
 * {@link JobStarter}, {@link Dispatcher} and {@link Admission} over the in-memory stores (counting
 * every DynamoDB write they make); the baseline is the retry-polled slot this project had before
 * (Submit's Retry: 20 s x 1.2, at most 120 s, full jitter, 500 attempts, the 24 h execution timeout).
 * Both share the same model of a job's steps: upload, submit, {@link PollSchedule}'s looks, copy.
 */
public final class BacklogBenchmark {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int UPLOAD_S = 5, COPY_S = 5;
    /** States entered, Lambda calls and writes of one job's steps outside waiting: Admit..Upload..Submit, Copy, Notify. */
    private static final int STEP_TRANSITIONS = 8, STEP_CALLS = 5, STEP_WRITES = 7;

    /** What one way of waiting cost and gave. */
    record Result(String name, int succeeded, Map<String, Integer> failed, long inversions, double makespanRatio,
                  double transitions, double calls, double writes, double writesShortWaits, double writesLongWaits) {}

    private record Event(long atMillis, long seq, Runnable action) {}

    private final int jobs;
    private final int limit;
    private final Duration length;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
            ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private final ManualClock clock = new ManualClock(T0);
    private final Random random = new Random(42);
    private long seq;
    private final long[] admittedAt;
    private final long[] endedAt;
    private final long[] transitions;
    private final long[] calls;
    private final long[] writes;
    private final Map<String, Integer> failures = new HashMap<>();

    private BacklogBenchmark(int jobs, int limit, Duration length) {
        this.jobs = jobs;
        this.limit = limit;
        this.length = length;
        this.admittedAt = new long[jobs];
        this.endedAt = new long[jobs];
        this.transitions = new long[jobs];
        this.calls = new long[jobs];
        this.writes = new long[jobs];
        java.util.Arrays.fill(admittedAt, -1);
        java.util.Arrays.fill(endedAt, -1);
    }

    public static void run(PrintStream out, int jobs, int limit, Duration length) {
        // thousands of simulated admissions would each log a line: the table is the output
        org.apache.logging.log4j.core.config.Configurator.setLevel("io.outpaint", org.apache.logging.log4j.Level.WARN);
        Result queue = new BacklogBenchmark(jobs, limit, length).queue();
        Result retry = new BacklogBenchmark(jobs, limit, length).retryPolled();
        out.printf("bench backlog: %d jobs created at once, a limit of %d, Scenario jobs of %d s, on a virtual clock%n",
                jobs, limit, length.toSeconds());
        out.printf("(ideal makespan N x T / K = %.0f s; both columns measured in this run)%n%n", (double) jobs * length.toSeconds() / limit);
        out.printf("%-44s %14s %22s%n", "", "queue", "retry-polled (before)");
        out.printf("%-44s %14d %22d%n", "jobs succeeded", queue.succeeded(), retry.succeeded());
        out.printf("%-44s %14s %22s%n", "jobs failed", queue.failed(), retry.failed());
        out.printf("%-44s %14d %22d%n", "admission-order inversions (pairs)", queue.inversions(), retry.inversions());
        out.printf("%-44s %14.3f %22.3f%n", "makespan / ideal", queue.makespanRatio(), retry.makespanRatio());
        out.printf("%-44s %14.1f %22.1f%n", "state transitions per job", queue.transitions(), retry.transitions());
        out.printf("%-44s %14.1f %22.1f%n", "Lambda invocations per job", queue.calls(), retry.calls());
        out.printf("%-44s %14.1f %22.1f%n", "DynamoDB writes per job", queue.writes(), retry.writes());
        out.printf("%-44s %14.1f %22.1f%n", "  writes/job, the quarter that waited least", queue.writesShortWaits(), retry.writesShortWaits());
        out.printf("%-44s %14.1f %22.1f%n", "  writes/job, the quarter that waited most", queue.writesLongWaits(), retry.writesLongWaits());
    }

    private void at(long millis, Runnable action) {
        events.add(new Event(millis, seq++, action));
    }

    private long now() {
        return clock.millis() - T0.toEpochMilli();
    }

    private void drain() {
        while (!events.isEmpty()) {
            Event e = events.poll();
            clock.advance(Duration.ofMillis(e.atMillis - now()));
            e.action.run();
        }
    }

    private static int index(String jobId) {
        return Integer.parseInt(jobId.substring(4));
    }

    private static Job job(int i) {
        return Job.queued(String.format("job-%05d", i), JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("s3", "b", "inputs/" + i + ".mp4", null, null, 1L, "video/mp4"), null, null, T0.plusMillis(i), 1);
    }

    /** The queue: records wait; the dispatcher starts an execution when a slot is free. */
    private Result queue() {
        CountingStore store = new CountingStore(new InMemoryJobStore(), writes);
        CountingSlots slots = new CountingSlots(new InMemorySlotLimiter(), writes);
        Admission[] admission = new Admission[1];
        Executions executions = new Executions() {
            @Override public String start(String name, String jobId) {
                int i = index(jobId);
                admittedAt[i] = now();
                runSteps(i, () -> admission[0].release(jobId), () -> {
                    store.update(jobId, j -> j.moveTo(JobStatus.SUCCEEDED, clock.instant(), null));
                    endedAt[i] = now();
                    admission[0].release(jobId); // CopyResults gives it back again: a no-op by then
                });
                return "arn:aws:states:::execution:outpaint:" + name;
            }
            @Override public State describe(String executionArn) { return State.RUNNING; }
            @Override public String arnOf(String name) { return "arn:aws:states:::execution:outpaint:" + name; }
        };
        admission[0] = new Admission(slots, new Dispatcher(store, slots, executions, limit, clock));
        JobStarter starter = new JobStarter(store, admission[0], clock);
        for (int i = 0; i < jobs; i++) {
            int n = i;
            at(i, () -> starter.start(job(n)));
        }
        drain();
        return result("queue");
    }

    /** Before: every execution starts at once, uploads, then retries Submit until a slot is free. */
    private Result retryPolled() {
        CountingSlots slots = new CountingSlots(new InMemorySlotLimiter(), writes);
        for (int i = 0; i < jobs; i++) {
            int n = i;
            at(i, () -> {
                writes[n] += 1; // the record
                transitions[n] += 3; // UploadInput entered, the upload, Submit entered
                calls[n] += 1;
                at(now() + UPLOAD_S * 1000L, () -> trySubmit(n, 0, slots));
            });
        }
        drain();
        return result("retry-polled");
    }

    private void trySubmit(int i, int attempt, SlotLimiter slots) {
        String jobId = job(i).jobId();
        calls[i]++;
        if (now() - i > 86_400_000L) {
            failures.merge("TIMED_OUT (24 h)", 1, Integer::sum);
            return;
        }
        if (slots.tryAcquire(jobId, limit)) {
            admittedAt[i] = now();
            runSteps(i, () -> { }, () -> {
                endedAt[i] = now();
                slots.release(jobId); // before: the slot was held through the copy
            });
            return;
        }
        if (attempt + 1 >= 500) {
            failures.merge("NO_SLOT (500 retries)", 1, Integer::sum);
            return;
        }
        transitions[i]++; // a retry is a state transition
        double cap = Math.min(120, 20 * Math.pow(1.2, attempt));
        at(now() + (long) (random.nextDouble() * cap * 1000), () -> trySubmit(i, attempt + 1, slots));
    }

    /**
     * Upload, submit, the looks of {@link PollSchedule} (as CheckStatus makes them) until Scenario's job is
     * seen done, then {@code free} (the queue gives the slot back there), copy, then {@code done}.
     */
    private void runSteps(int i, Runnable free, Runnable done) {
        transitions[i] += STEP_TRANSITIONS;
        calls[i] += STEP_CALLS;
        writes[i] += STEP_WRITES;
        PollSchedule poll = PollSchedule.defaults();
        long submitted = now() + UPLOAD_S * 1000L;
        long finishes = submitted + length.toMillis();
        // after the first jobs, the first look follows the known length of jobs of this shape
        int expected = anyEnded() ? (int) length.toSeconds() : 0;
        int first = expected > 0 ? poll.firstFor(expected) : poll.first();
        long t = submitted + first * 1000L;
        PollSchedule.Observation previous = new PollSchedule.Observation(0, submitted);
        int delay = first;
        while (true) {
            transitions[i] += 3;
            calls[i]++;
            writes[i]++;
            if (t >= finishes) {
                break;
            }
            double progress = (double) (t - submitted) / length.toMillis();
            PollSchedule.Observation seen = new PollSchedule.Observation(progress, t);
            delay = poll.next(previous, seen, delay, (t - submitted) / 1000.0, expected);
            previous = seen;
            t += delay * 1000L;
        }
        at(t, free);
        at(t + COPY_S * 1000L, done);
    }

    private boolean anyEnded() {
        for (long e : endedAt) {
            if (e >= 0) {
                return true;
            }
        }
        return false;
    }

    private Result result(String name) {
        List<Integer> ok = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < jobs; i++) {
            if (endedAt[i] >= 0) {
                ok.add(i);
                last = Math.max(last, endedAt[i]);
            }
        }
        long inversions = 0;
        for (int a = 0; a < ok.size(); a++) {
            for (int b = a + 1; b < ok.size(); b++) {
                if (admittedAt[ok.get(b)] < admittedAt[ok.get(a)]) {
                    inversions++;
                }
            }
        }
        List<Integer> byWait = new ArrayList<>(ok);
        byWait.sort((x, y) -> Long.compare(admittedAt[x] - x, admittedAt[y] - y));
        int quarter = Math.max(1, byWait.size() / 4);
        double ideal = (double) jobs * length.toMillis() / limit;
        return new Result(name, ok.size(), failures, inversions, last / ideal, mean(ok, transitions), mean(ok, calls),
                mean(ok, writes), mean(byWait.subList(0, quarter), writes), mean(byWait.subList(byWait.size() - quarter, byWait.size()), writes));
    }

    private static double mean(List<Integer> which, long[] values) {
        return which.stream().mapToLong(i -> values[i]).average().orElse(0);
    }

    /** Counts each write into the job's column: a created record, a changed one. */
    private record CountingStore(JobStore real, long[] writes) implements JobStore {
        @Override public boolean create(Job job) { writes[index(job.jobId())]++; return real.create(job); }
        @Override public java.util.Optional<Job> find(String jobId) { return real.find(jobId); }
        @Override public Job update(String jobId, UnaryOperator<Job> change) {
            Job before = real.get(jobId);
            Job after = real.update(jobId, change);
            if (!after.equals(before)) {
                writes[index(jobId)]++;
            }
            return after;
        }
        @Override public List<Job> waiting(int n) { return real.waiting(n); }
        @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
        @Override public Page list(java.util.Optional<JobStatus> status, int n, java.util.Optional<String> token) {
            return real.list(status, n, token);
        }
    }

    /** Counts each conditional write on the slot item, granted or refused, into the job's column. */
    private record CountingSlots(SlotLimiter real, long[] writes) implements SlotLimiter {
        @Override public boolean tryAcquire(String jobId, int n) { writes[index(jobId)]++; return real.tryAcquire(jobId, n); }
        @Override public void release(String jobId) { writes[index(jobId)]++; real.release(jobId); }
        @Override public Set<String> holders() { return real.holders(); }
    }
}
