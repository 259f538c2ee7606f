package io.outpaint.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Fails the first {@code failures} calls for a run {@code id}, transiently or ({@code broken}) for good. */
public class FlakyHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        String id = (String) input.get("id");
        int call = CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (Boolean.TRUE.equals(input.get("broken"))) {
            throw new BrokenTestException("run " + id + " cannot work");
        }
        if (call <= ((Number) input.getOrDefault("failures", 0)).intValue()) {
            throw new TransientTestException("call " + call + " of run " + id + " fails");
        }
        Map<String, Object> output = new HashMap<>(input);
        output.put("preparedBy", context.getFunctionName());
        output.put("requestId", context.getAwsRequestId());
        return output;
    }
}
