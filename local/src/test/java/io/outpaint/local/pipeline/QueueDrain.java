package io.outpaint.local.pipeline;

import io.outpaint.local.LocalPipeline;
import java.time.Duration;
import java.time.Instant;

/** Waits, between tests sharing one pipeline (or before reading what they did), until the queue is empty and every slot is free, whatever the test before left. */
final class QueueDrain {

    private QueueDrain() {
    }

    /** Returns once no job waits for a slot and no slot is held; fails if that has not happened within {@code within}. */
    static void await(LocalPipeline pipeline, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!(pipeline.services().jobs().waiting(1).isEmpty() && pipeline.services().slots().holders().isEmpty())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the queue did not drain: " + pipeline.services().slots().holders());
            }
            Thread.sleep(200);
        }
    }
}
