package io.outpaint.testing;

import io.outpaint.queue.Executions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Executions as a list of starts; each started execution RUNNING until a test says otherwise. */
public final class FakeExecutions implements Executions {

    public static final String MACHINE = "arn:aws:states:us-east-1:000000000000:execution:outpaint:";

    private final List<String> started = new ArrayList<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile RuntimeException failWith;

    @Override
    public synchronized String start(String name, String jobId) {
        if (failWith != null && failures.getAndDecrement() > 0) {
            throw failWith;
        }
        String arn = MACHINE + name;
        if (!states.containsKey(arn)) {
            started.add(jobId);
            states.put(arn, State.RUNNING);
        }
        return arn;
    }

    @Override
    public String arnOf(String name) {
        return MACHINE + name;
    }

    @Override
    public State describe(String executionArn) {
        return states.getOrDefault(executionArn, State.MISSING);
    }

    /** The job ids whose executions were started, in order (a repeated start of a running one counts once). */
    public synchronized List<String> started() {
        return List.copyOf(started);
    }

    public void set(String executionArn, State state) {
        states.put(executionArn, state);
    }

    public void forget(String executionArn) {
        states.remove(executionArn);
    }

    /** The next {@code times} starts throw {@code error}. */
    public void failNext(int times, RuntimeException error) {
        failures.set(times);
        failWith = error;
    }
}
