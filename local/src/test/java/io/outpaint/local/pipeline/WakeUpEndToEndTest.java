package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.store.SlotLimiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * No lost wake-up, through the HTTP API, the real state machine and the real handlers: each race
 * the queue must survive is forced by holding the real slot limiter's calls back at the moment
 * that matters. The periodic sweep is off, so every admission here comes from a dispatch, never
 * from the sweep healing a lost one.
 */
class WakeUpEndToEndTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static final String KEY = "inputs/wakeup/clip.mp4";
    private static final int LIMIT = 2;
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    @TempDir static Path dir;

    /** What the hooks saw, in order. */
    private static final List<String> SEEN = new CopyOnWriteArrayList<>();
    /** Releases of these jobs meet here, so that their slots are given back at the same moment. */
    private static final AtomicReference<Set<String>> releasedTogether = new AtomicReference<>(Set.of());
    private static final AtomicReference<CyclicBarrier> together = new AtomicReference<>();
    /** The next dispatch that reads every slot taken, this job's among them, waits after that read until this job's slot is given back. */
    private static final AtomicReference<String> releaseAfterAFullRead = new AtomicReference<>();
    private static final AtomicReference<CountDownLatch> fullRead = new AtomicReference<>(new CountDownLatch(0));
    private static final AtomicReference<CountDownLatch> released = new AtomicReference<>(new CountDownLatch(0));
    /** The function giving this job's slot back dies right after the release, before its dispatch. */
    private static final AtomicReference<String> dieAfterReleasing = new AtomicReference<>();
    private static final CountDownLatch never = new CountDownLatch(1);
    /** The most slots seen held just after a dispatcher took one. */
    private static final java.util.concurrent.atomic.AtomicInteger mostHeld = new java.util.concurrent.atomic.AtomicInteger();

    /** The real slot limiter, with the test's hooks around it. */
    private record HookedSlots(SlotLimiter real) implements SlotLimiter {
        @Override
        public boolean tryAcquire(String jobId, int limit) {
            return real.tryAcquire(jobId, limit);
        }

        @Override
        public Acquired acquire(String jobId, int limit) {
            Acquired acquired = real.acquire(jobId, limit);
            mostHeld.accumulateAndGet(real.holders().size(), Math::max);
            return acquired;
        }

        @Override
        public Set<String> holders() {
            Set<String> holders = real.holders();
            String awaited = releaseAfterAFullRead.get();
            if (awaited != null && fullRead.get().getCount() > 0 && holders.size() >= LIMIT && holders.contains(awaited)
                    && calledByTheDispatcher()) {
                SEEN.add("a dispatch read every slot taken");
                fullRead.get().countDown();
                await(released.get()); // the slot is given back now: what this dispatch read is out of date
            }
            return holders;
        }

        @Override
        public void release(String jobId) {
            if (releasedTogether.get().contains(jobId)) {
                try {
                    together.get().await(60, TimeUnit.SECONDS);
                    SEEN.add("released together: " + jobId);
                } catch (Exception e) {
                    SEEN.add("not released together: " + jobId);
                }
            }
            boolean held = jobId.equals(releaseAfterAFullRead.get());
            if (held) {
                await(fullRead.get());
            }
            real.release(jobId);
            // AtomicReference compares identity: the id arrives here as another String than the one stored
            if (held && releaseAfterAFullRead.getAndUpdate(id -> jobId.equals(id) ? null : id) != null) {
                SEEN.add("released " + jobId);
                released.get().countDown();
            }
            if (jobId.equals(dieAfterReleasing.getAndUpdate(id -> jobId.equals(id) ? null : id))) {
                SEEN.add("died after releasing " + jobId);
                await(never); // until the invocation has timed out: this one never dispatches
                throw new IllegalStateException("this invocation was cut off by its timeout");
            }
        }

        private static boolean calledByTheDispatcher() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals("io.outpaint.queue.Dispatcher")));
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(LIMIT)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(300)).withSweepEvery(Duration.ZERO)
                .withDecorator(s -> s.withSlots(new HookedSlots(s.slots()))));
        api = new ApiCalls(pipeline);
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(KEY).contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        never.countDown();
        pipeline.close();
    }

    @AfterEach
    void drain() throws Exception {
        SEEN.clear();
        releasedTogether.set(Set.of());
        releaseAfterAFullRead.set(null);
        dieAfterReleasing.set(null);
        pipeline.simulator().jobDuration(Duration.ofMillis(300));
        QueueDrain.await(pipeline, Duration.ofMinutes(2));
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().get(jobId);
    }

    private static void assertWaitedThenAdmitted(String jobId) {
        assertThat(record(jobId).history()).extracting(Job.StatusChange::status)
                .containsSubsequence(JobStatus.WAITING_FOR_SLOT, JobStatus.ADMITTED, JobStatus.SUCCEEDED);
    }

    /** A job that holds a slot at Scenario until it is canceled. */
    private static String blocker() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofMinutes(5));
        String id = api.create(KEY, REQUEST);
        api.await(id, j -> record(id).scenario().jobId() != null, Duration.ofMinutes(1));
        return id;
    }

    @Test
    void twoSlotsFreedAtTheSameMomentAdmitTheTwoJobsWaiting() throws Exception {
        mostHeld.set(0);
        pipeline.simulator().jobDuration(Duration.ofSeconds(2));
        String first = api.create(KEY, REQUEST);
        String second = api.create(KEY, REQUEST);
        together.set(new CyclicBarrier(2));
        releasedTogether.set(Set.of(first, second));
        String third = api.create(KEY, REQUEST);
        String fourth = api.create(KEY, REQUEST);
        assertThat(api.job(third).path("status").asText()).isEqualTo("WAITING_FOR_SLOT");
        assertThat(api.job(fourth).path("queuePosition").asInt()).isEqualTo(2);

        for (String id : List.of(first, second, third, fourth)) {
            api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
        }
        // both slots were given back at one moment, by the two CheckStatus invocations, and both waiting jobs got one
        assertThat(SEEN).contains("released together: " + first, "released together: " + second).noneMatch(s -> s.startsWith("not"));
        assertWaitedThenAdmitted(third);
        assertWaitedThenAdmitted(fourth);
        // (Scenario may still run a job canceled by an earlier test: the slots, not Scenario's count, hold the limit)
        assertThat(mostHeld.get()).isEqualTo(LIMIT);
    }

    @Test
    void aSlotFreedJustAfterAQueuedJobsDispatchSawEverySlotTakenGoesToThatJob() throws Exception {
        String blocker = blocker();
        pipeline.simulator().jobDuration(Duration.ofSeconds(2));
        String running = api.create(KEY, REQUEST);
        api.await(running, j -> record(running).scenario().jobId() != null, Duration.ofMinutes(1));
        fullRead.set(new CountDownLatch(1));
        released.set(new CountDownLatch(1));
        releaseAfterAFullRead.set(running);

        // its own dispatch reads both slots taken; the running job's slot is given back right after that read
        String queued = api.create(KEY, REQUEST);
        assertThat(SEEN).containsExactly("a dispatch read every slot taken", "released " + running);
        api.awaitStatus(queued, "SUCCEEDED", Duration.ofMinutes(2));
        assertWaitedThenAdmitted(queued);
        assertThat(api.json("POST", "/jobs/" + blocker + "/cancel", null).path("status").asText()).isEqualTo("CANCELED");
    }

    @Test
    void theFunctionFreeingASlotDyingBeforeItsDispatchDoesNotStrandTheNextJob() throws Exception {
        String blocker = blocker();
        pipeline.functionTimeout(PipelineFunction.CHECK_STATUS, Duration.ofSeconds(2));
        try {
            pipeline.simulator().jobDuration(Duration.ofSeconds(1));
            String dying = api.create(KEY, REQUEST);
            dieAfterReleasing.set(dying);
            String next = api.create(KEY, REQUEST);
            assertThat(api.job(next).path("status").asText()).isEqualTo("WAITING_FOR_SLOT");

            api.awaitStatus(dying, "SUCCEEDED", Duration.ofMinutes(2));
            api.awaitStatus(next, "SUCCEEDED", Duration.ofMinutes(2));
            assertThat(SEEN).containsExactly("died after releasing " + dying);
            // the path: CheckStatus timed out after giving the slot back (Lambda.Unknown), its retry found the
            // slot free already and dispatched, and the waiting job got it without the sweep
            List<String> errors;
            try (var sfn = pipeline.cloud().stepFunctions()) {
                errors = sfn.getExecutionHistoryPaginator(b -> b.executionArn(record(dying).executionArn())).events().stream()
                        .filter(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                        .map(e -> e.lambdaFunctionFailedEventDetails().error()).toList();
            }
            assertThat(errors).containsExactly("Lambda.Unknown");
            assertWaitedThenAdmitted(next);
        } finally {
            pipeline.functionTimeout(PipelineFunction.CHECK_STATUS, Duration.ofSeconds(PipelineFunction.CHECK_STATUS.timeoutSeconds()));
        }
        assertThat(api.json("POST", "/jobs/" + blocker + "/cancel", null).path("status").asText()).isEqualTo("CANCELED");
    }
}
