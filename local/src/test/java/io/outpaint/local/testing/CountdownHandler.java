package io.outpaint.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.HashMap;
import java.util.Map;

/** Counts {@code remaining} down by one: the body of a Choice loop. */
public class CountdownHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Map<String, Object> output = new HashMap<>(input);
        output.put("remaining", ((Number) input.get("remaining")).intValue() - 1);
        return output;
    }
}
