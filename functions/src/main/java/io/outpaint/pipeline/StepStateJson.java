package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A step's state read from and written to JSON through Jackson's tree, in the form the record's
 * annotations give it (a test holds the two together). The state machine hands every step its
 * state, so this is on the path of each function's first invocation: Jackson's data binding would
 * introspect the records there, about 200 classes on its first use, where the tree needs a few
 * (the README's {@code bench coldstart} gives the difference it made).
 * Unknown fields are passed over and a JSON null is an absent field, as the data binding did. A
 * field of the wrong type is refused with its path and what it must be: stricter than the
 * binding's coercions (a number for a string, "15" or 1.5 for an integer, an enum by its index, an
 * observation without its progress or time), none of which a step or the state machine writes.
 */
public final class StepStateJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StepStateJson() {}

    /** The state in {@code input}, a JSON object. */
    public static StepState read(ObjectMapper json, InputStream input) throws IOException {
        return read(json.readTree(input));
    }

    /** The state in {@code bytes}, a JSON object. */
    public static StepState read(ObjectMapper json, byte[] bytes) throws IOException {
        return read(json.readTree(bytes));
    }

    /** The state {@code node} holds; refused with the field's path when a field has the wrong type. */
    public static StepState read(JsonNode node) {
        return state(node, "");
    }

    /** Writes {@code state} to {@code output} as one JSON object. */
    public static void write(ObjectMapper json, OutputStream output, StepState state) throws IOException {
        json.writeValue(output, tree(state));
    }

    /** {@code state} as a JSON object; absent fields are left out. */
    public static ObjectNode tree(StepState state) {
        ObjectNode node = NODES.objectNode();
        putText(node, "jobId", state.jobId());
        putText(node, "executionArn", state.executionArn());
        if (state.video() != null) {
            // the video's fields are written even when null, as the record's form has them
            ObjectNode video = node.putObject("video");
            video.put("bucket", state.video().bucket());
            video.put("key", state.video().key());
            video.put("versionId", state.video().versionId());
        }
        if (state.request() != null) {
            node.set("request", state.request());
        }
        if (state.outcome() != null) {
            node.put("outcome", state.outcome().name());
        }
        if (state.nextDelaySeconds() != null) {
            node.put("nextDelaySeconds", state.nextDelaySeconds());
        }
        if (state.observation() != null) {
            ObjectNode seen = node.putObject("observation");
            seen.put("progress", state.observation().progress());
            seen.put("atMillis", state.observation().atMillis());
        }
        if (state.submittedAtMillis() != null) {
            node.put("submittedAtMillis", state.submittedAtMillis());
        }
        if (state.expectedSeconds() != null) {
            node.put("expectedSeconds", state.expectedSeconds());
        }
        if (state.failure() != null) {
            ObjectNode failure = node.putObject("failure");
            putText(failure, "code", state.failure().code());
            putText(failure, "message", state.failure().message());
            putText(failure, "hint", state.failure().hint());
        }
        if (state.error() != null) {
            ObjectNode error = node.putObject("error");
            error.put("Error", state.error().error());
            error.put("Cause", state.error().cause());
        }
        if (state.previous() != null) {
            node.set("previous", tree(state.previous()));
        }
        if (state.ended() != null) {
            node.put("ended", state.ended().name());
        }
        return node;
    }

    private static StepState state(JsonNode node, String at) {
        if (!node.isObject()) {
            throw wrong(at.isEmpty() ? "the state" : at, "an object", node);
        }
        JsonNode video = field(node, "video");
        JsonNode request = field(node, "request");
        JsonNode seen = field(node, "observation");
        JsonNode failure = field(node, "failure");
        JsonNode error = field(node, "error");
        JsonNode previous = field(node, "previous");
        if (request != null && !request.isObject()) {
            throw wrong(at + "request", "an object", request);
        }
        return new StepState(
                text(node, "jobId", at),
                text(node, "executionArn", at),
                video == null ? null : new StepState.VideoRef(text(object(video, at + "video"), "bucket", at + "video."),
                        text(video, "key", at + "video."), text(video, "versionId", at + "video.")),
                (ObjectNode) request,
                named(node, "outcome", at, StepOutcome.class),
                integer(node, "nextDelaySeconds", at),
                seen == null ? null : observation(object(seen, at + "observation"), at + "observation."),
                whole(node, "submittedAtMillis", at, Long.MIN_VALUE, Long.MAX_VALUE),
                integer(node, "expectedSeconds", at),
                failure == null ? null : new StepState.Failure(text(object(failure, at + "failure"), "code", at + "failure."),
                        text(failure, "message", at + "failure."), text(failure, "hint", at + "failure.")),
                error == null ? null : new StepState.CaughtError(text(object(error, at + "error"), "Error", at + "error."),
                        text(error, "Cause", at + "error.")),
                previous == null ? null : state(previous, at + "previous."),
                named(node, "ended", at, JobStatus.class));
    }

    private static PollSchedule.Observation observation(JsonNode node, String at) {
        JsonNode progress = field(node, "progress");
        if (progress == null || !progress.isNumber()) {
            throw wrong(at + "progress", "a number", progress);
        }
        Long atMillis = whole(node, "atMillis", at, Long.MIN_VALUE, Long.MAX_VALUE);
        if (atMillis == null) {
            throw wrong(at + "atMillis", "a whole number", null);
        }
        return new PollSchedule.Observation(progress.doubleValue(), atMillis);
    }

    /** The field's node, or null when it is absent or JSON null. */
    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static JsonNode object(JsonNode node, String at) {
        if (!node.isObject()) {
            throw wrong(at, "an object", node);
        }
        return node;
    }

    private static String text(JsonNode node, String name, String at) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrong(at + name, "a string", value);
        }
        return value.textValue();
    }

    private static Long whole(JsonNode node, String name, String at, long min, long max) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()
                || value.longValue() < min || value.longValue() > max) {
            throw wrong(at + name, "a whole number from " + min + " to " + max, value);
        }
        return value.longValue();
    }

    private static Integer integer(JsonNode node, String name, String at) {
        Long value = whole(node, name, at, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return value == null ? null : value.intValue();
    }

    private static <E extends Enum<E>> E named(JsonNode node, String name, String at, Class<E> type) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        E[] allowed = type.getEnumConstants();
        if (value.isTextual()) {
            for (E candidate : allowed) {
                if (candidate.name().equals(value.textValue())) {
                    return candidate;
                }
            }
        }
        throw wrong(at + name, "one of " + Arrays.toString(allowed), value);
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static IllegalArgumentException wrong(String field, String must, JsonNode got) {
        String shown = got == null ? "nothing" : got.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return new IllegalArgumentException("step state field '" + field + "' must be " + must + "; got " + shown);
    }
}
