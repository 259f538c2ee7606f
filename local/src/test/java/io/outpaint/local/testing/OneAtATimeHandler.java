package io.outpaint.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Not thread-safe on purpose: it notices when one instance is given two invocations at once. */
public class OneAtATimeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public static final AtomicInteger OVERLAPS = new AtomicInteger();
    public static final AtomicInteger INSTANCES = new AtomicInteger();

    private boolean busy;

    public OneAtATimeHandler() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        if (busy) {
            OVERLAPS.incrementAndGet();
        }
        busy = true;
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        busy = false;
        return Map.of("requestId", context.getAwsRequestId(), "remainingMillis", context.getRemainingTimeInMillis());
    }
}
