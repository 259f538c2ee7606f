package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.store.JobStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A cancel that meets CopyResults, through the real state machine on the local runtime: either
 * the cancel wins (nothing copied, no output recorded) or it is answered as too late (the job
 * ends SUCCEEDED with its results), never a CANCELED record listing what was copied. The copy is
 * held at the point that decides it: just before its COPYING write, or just after it.
 */
class CancelWhileCopyingEndToEndTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static final String KEY = "inputs/cancel-copy/clip.mp4";
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withTime(0.01, 100)
                .withJobDuration(Duration.ofMillis(300)).withSweepEvery(Duration.ZERO)
                .withDecorator(s -> s.withJobs(new HeldCopy(s.jobs()))));
        api = new ApiCalls(pipeline);
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(KEY).contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        HeldCopy.release();
        pipeline.close();
    }

    @Test
    void aCancelWrittenBeforeTheCopyWinsNothingIsCopiedNorRecorded() throws Exception {
        HeldCopy.arm(HeldCopy.Point.BEFORE_COPYING);
        String jobId = api.create(KEY, REQUEST);
        assertThat(HeldCopy.reached.get().await(60, TimeUnit.SECONDS)).as("the copy was never reached").isTrue();

        HttpResponse<String> cancel = api.call("POST", "/jobs/" + jobId + "/cancel", null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.body()).contains("\"status\":\"CANCELED\"").contains("its result will not be copied");
        HeldCopy.release();

        // the copy runs on, finds the job ended, and copies nothing
        Job record = awaitCopyEnded(jobId);
        assertThat(record.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(record.outputs()).isEmpty();
        assertThat(record.history()).extracting(Job.StatusChange::status).doesNotContain(JobStatus.COPYING, JobStatus.SUCCEEDED);
        try (var s3 = pipeline.cloud().s3()) {
            assertThat(s3.listObjectsV2(b -> b.bucket(LocalPipeline.BUCKET).prefix("outputs/" + jobId + "/")).contents()).isEmpty();
        }
        assertThat(api.job(jobId).path("outputs")).isEmpty();
    }

    @Test
    void aCancelOnceTheCopyHasBegunIsAnsweredTooLateAndTheJobSucceeds() throws Exception {
        HeldCopy.arm(HeldCopy.Point.AFTER_COPYING);
        String jobId = api.create(KEY, REQUEST);
        assertThat(HeldCopy.reached.get().await(60, TimeUnit.SECONDS)).as("the copy was never reached").isTrue();
        assertThat(api.job(jobId).path("status").asText()).isEqualTo("COPYING");

        HttpResponse<String> cancel = api.call("POST", "/jobs/" + jobId + "/cancel", null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(409);
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cancel.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("TOO_LATE_TO_CANCEL");
        assertThat(error.path("message").asText()).isEqualTo("job " + jobId + " is COPYING: Scenario has generated (and billed) it,"
                + " and its results are being copied; it ends on its own shortly");
        HeldCopy.release();

        JsonNode done = api.awaitStatus(jobId, "SUCCEEDED", Duration.ofMinutes(2));
        assertThat(done.path("outputs").get(0).path("key").asText()).isEqualTo("outputs/" + jobId + "/outpaint.mp4");
        assertThat(pipeline.services().jobs().get(jobId).history()).extracting(Job.StatusChange::status)
                .containsSubsequence(JobStatus.COPYING, JobStatus.FINISHING, JobStatus.SUCCEEDED).doesNotContain(JobStatus.CANCELED);
    }

    /** The record once the held copy's invocation has returned (its thread no longer runs the function). */
    private static Job awaitCopyEnded(String jobId) throws Exception {
        assertThat(HeldCopy.passed.get().await(60, TimeUnit.SECONDS)).as("the held copy never went on").isTrue();
        Thread step = HeldCopy.holder.get();
        String running = HeldCopy.holderName.get();
        assertThat(running).as("held in a function's invocation").startsWith("lambda:");
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        while (step.getName().equals(running)) {
            assertThat(java.time.Instant.now()).as("the copy step never returned").isBefore(deadline);
            Thread.sleep(50);
        }
        return pipeline.services().jobs().get(jobId);
    }

    /**
     * The real store, except that once armed, the write that moves a job to COPYING is held until
     * the test releases it: before the write (the cancel is written first) or after it.
     */
    static final class HeldCopy implements JobStore {
        enum Point { BEFORE_COPYING, AFTER_COPYING }

        static final AtomicReference<Point> armed = new AtomicReference<>();
        static final AtomicReference<CountDownLatch> reached = new AtomicReference<>(new CountDownLatch(1));
        static final AtomicReference<CountDownLatch> released = new AtomicReference<>(new CountDownLatch(1));
        static final AtomicReference<CountDownLatch> passed = new AtomicReference<>(new CountDownLatch(1));
        /** The thread of the step held last. */
        static final AtomicReference<Thread> holder = new AtomicReference<>();
        /** Its name while it ran the function: the local Lambda names it back once the invocation returns. */
        static final AtomicReference<String> holderName = new AtomicReference<>();

        private final JobStore real;

        HeldCopy(JobStore real) {
            this.real = real;
        }

        static void arm(Point point) {
            reached.set(new CountDownLatch(1));
            released.set(new CountDownLatch(1));
            passed.set(new CountDownLatch(1));
            armed.set(point);
        }

        static void release() {
            released.get().countDown();
        }

        private static void hold() {
            holder.set(Thread.currentThread());
            holderName.set(Thread.currentThread().getName());
            reached.get().countDown();
            try {
                released.get().await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Job update(String jobId, UnaryOperator<Job> change) {
            boolean[] toCopying = {false};
            boolean[] heldBefore = {false};
            Job written;
            try {
                written = real.update(jobId, current -> {
                    Job next = change.apply(current);
                    if (next.status() == JobStatus.COPYING && current.status() != JobStatus.COPYING) {
                        toCopying[0] = true;
                        if (armed.compareAndSet(Point.BEFORE_COPYING, null)) {
                            heldBefore[0] = true;
                            hold(); // read before the cancel, written after it: the write finds the record changed
                        }
                    }
                    return next;
                });
            } finally {
                if (heldBefore[0]) {
                    passed.get().countDown();
                }
            }
            if (toCopying[0] && written.status() == JobStatus.COPYING && armed.compareAndSet(Point.AFTER_COPYING, null)) {
                hold();
                passed.get().countDown();
            }
            return written;
        }

        @Override public boolean create(Job job) { return real.create(job); }
        @Override public Optional<Job> find(String jobId) { return real.find(jobId); }
        @Override public java.util.List<Job> waiting(int limit) { return real.waiting(limit); }
        @Override public long waitingAhead(Job job) { return real.waitingAhead(job); }
        @Override public Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken) { return real.list(status, limit, nextToken); }
    }
}
