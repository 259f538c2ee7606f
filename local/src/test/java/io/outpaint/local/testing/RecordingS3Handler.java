package io.outpaint.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every S3 event it receives, as deserialized by the Lambda runtime's serializers. */
public class RecordingS3Handler implements RequestHandler<S3Event, String> {

    public static final List<S3Event> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public String handleRequest(S3Event event, Context context) {
        EVENTS.add(event);
        return "ok";
    }
}
