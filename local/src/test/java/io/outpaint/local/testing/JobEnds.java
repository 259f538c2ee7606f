package io.outpaint.local.testing;

import io.outpaint.job.Job;
import io.outpaint.local.LocalPipeline;
import java.time.Duration;
import java.time.Instant;

/** Waiting, in an in-process test, for a job of the local runtime to end: its record ended and its execution stopped. */
public final class JobEnds {

    private JobEnds() {}

    /** The job once its record is terminal and its execution (if any) no longer runs; an AssertionError after {@code within}. */
    public static Job awaitEnd(LocalPipeline pipeline, String jobId, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Job job = pipeline.services().jobs().find(jobId).orElse(null);
            if (job != null && job.status().isTerminal() && (job.executionArn() == null || !running(pipeline, job.executionArn()))) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(jobId + " has not ended: " + job);
            }
            Thread.sleep(250);
        }
    }

    private static boolean running(LocalPipeline pipeline, String executionArn) {
        return pipeline.cloud().stepFunctions().describeExecution(b -> b.executionArn(executionArn)).statusAsString().equals("RUNNING");
    }
}
