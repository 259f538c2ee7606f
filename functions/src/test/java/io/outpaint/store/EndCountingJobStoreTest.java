package io.outpaint.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A job's end is told once, whichever write ended it and however many tried. */
class EndCountingJobStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private final List<String> ended = Collections.synchronizedList(new ArrayList<>());
    private final EndCountingJobStore jobs = new EndCountingJobStore(new InMemoryJobStore(),
            j -> ended.add(j.jobId() + " " + j.status()));

    private static Job job(String id) {
        return Job.queued(id, JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/" + id + ".mp4", null, null, 1L, "video/mp4"), null, null, T0, 1);
    }

    @Test
    void aJobIsCountedOnTheWriteThatEndsItAndNeverAgain() {
        jobs.create(job("a"));
        jobs.update("a", j -> j.moveTo(JobStatus.RUNNING, T0, null));
        assertThat(ended).isEmpty();
        jobs.update("a", j -> j.moveTo(JobStatus.SUCCEEDED, T0, null));
        jobs.update("a", j -> j.status().isTerminal() ? j : j.moveTo(JobStatus.CANCELED, T0, null)); // a late cancel: no write
        jobs.update("a", j -> j.withProgress(1.0, T0.plusSeconds(1))); // a write after the end
        assertThat(ended).containsExactly("a SUCCEEDED");
    }

    @Test
    void aJobRecordedAlreadyEndedIsCountedOnceHowOftenItIsRecorded() {
        Job refused = job("r").moveTo(JobStatus.FAILED, T0, "INVALID_INPUT");
        assertThat(jobs.create(refused)).isTrue();
        assertThat(jobs.create(refused)).isFalse(); // a redelivered event
        assertThat(ended).containsExactly("r FAILED");
    }

    @Test
    void twoFunctionsEndingOneJobAtOnceCountItOnce() throws Exception {
        for (int i = 0; i < 50; i++) {
            String id = "race-" + i;
            jobs.create(job(id));
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Job>> writes = new ArrayList<>();
            for (JobStatus end : List.of(JobStatus.CANCELED, JobStatus.FAILED)) {
                writes.add(pool.submit(() -> {
                    together.await(5, TimeUnit.SECONDS);
                    return jobs.update(id, j -> j.status().isTerminal() ? j : j.moveTo(end, T0, null));
                }));
            }
            for (Future<Job> write : writes) {
                write.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(ended).hasSize(50);
        assertThat(ended.stream().map(e -> e.split(" ")[0]).distinct()).hasSize(50);
    }
}
