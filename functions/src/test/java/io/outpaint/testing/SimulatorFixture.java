package io.outpaint.testing;

import io.outpaint.scenario.RetryPolicy;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioCredentials;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.scenario.ScenarioSettings;
import io.outpaint.simulator.ScenarioSimulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** A simulator with recognisable credentials and a client wired to it with a recording sleeper. */
public final class SimulatorFixture implements AutoCloseable {

    public static final String KEY = "key-FIXTURE-4471";
    public static final String SECRET = "secret-FIXTURE-9923";

    public final ScenarioSimulator simulator;
    public final RecordingSleeper sleeper = new RecordingSleeper();
    public final ScenarioSettings settings;
    public final ScenarioClient client;

    public SimulatorFixture(Duration jobDuration) {
        simulator = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults()
                .withCredentials(KEY, SECRET).withJobDuration(jobDuration));
        settings = ScenarioSettings.of(URI.create(simulator.apiUrl()), new ScenarioCredentials(KEY, SECRET))
                .withRetry(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofSeconds(30), sleeper))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withUpload(ScenarioSettings.MIN_PART_BYTES, Duration.ofMillis(50), Duration.ofSeconds(30));
        client = new ScenarioClient(settings);
    }

    /** Polls until the job reaches a final status, or fails after {@code limit}. */
    public ScenarioJob awaitFinal(String jobId, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            ScenarioJob job = client.getJob(jobId);
            if (job.status().isFinal()) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + jobId + " still " + job.status() + " after " + limit);
            }
            Thread.sleep(100);
        }
    }

    /** Waits until no job runs, so a parallel-job limit starts from an idle account. */
    public void awaitIdle() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (simulator.jobsRunning() > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(simulator.jobsRunning() + " jobs still running");
            }
            Thread.sleep(50);
        }
    }

    public void reset() {
        simulator.faults().clear();
        sleeper.reset();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
