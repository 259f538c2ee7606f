package io.outpaint.local.testing;

import io.outpaint.queue.Executions;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The real executions, except that once armed the next starts fail as an unreachable Step Functions would. */
public final class FailingExecutions implements Executions {

    public static final AtomicInteger FAILURES = new AtomicInteger();

    private final Executions real;

    public FailingExecutions(Executions real) {
        this.real = real;
    }

    @Override
    public String start(String name, String jobId) {
        if (FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw SdkClientException.create("simulated: Step Functions unreachable");
        }
        return real.start(name, jobId);
    }

    @Override
    public String arnOf(String name) {
        return real.arnOf(name);
    }

    @Override
    public State describe(String executionArn) {
        return real.describe(executionArn);
    }
}
