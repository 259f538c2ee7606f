package io.outpaint.queue;

/** The state machine's executions, as the queue and its repairs see them. */
public interface Executions {

    /** How an execution stands; MISSING when the service knows no such execution. */
    enum State { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, MISSING }

    /**
     * Starts the execution {@code name} for {@code jobId}; the input names only the job, so a
     * repeated start of the same name is the same execution. Returns its ARN.
     *
     * @throws StartRefusedException when the service refuses for good (not a throttle or a network error)
     */
    String start(String name, String jobId);

    State describe(String executionArn);

    /** The ARN the execution {@code name} has (or will have), known before it starts. */
    String arnOf(String name);

    /** Thrown when StartExecution is refused for a reason a retry cannot change. */
    final class StartRefusedException extends RuntimeException {
        public StartRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
