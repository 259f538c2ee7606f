package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.json.TreeFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
    private static final TreeFields F = new TreeFields("step state");

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
        if (state.segmentJobs() != null) {
            var jobs = node.putArray("segmentJobs");
            state.segmentJobs().forEach(jobs::add);
        }
        return node;
    }

    private static StepState state(JsonNode node, String at) {
        F.object(node, at.isEmpty() ? "the state" : at.substring(0, at.length() - 1));
        JsonNode video = TreeFields.field(node, "video");
        JsonNode request = TreeFields.field(node, "request");
        JsonNode seen = TreeFields.field(node, "observation");
        JsonNode failure = TreeFields.field(node, "failure");
        JsonNode error = TreeFields.field(node, "error");
        JsonNode previous = TreeFields.field(node, "previous");
        if (request != null) {
            F.object(request, at + "request");
        }
        return new StepState(
                F.text(node, "jobId", at),
                F.text(node, "executionArn", at),
                video == null ? null : new StepState.VideoRef(F.text(F.object(video, at + "video"), "bucket", at + "video."),
                        F.text(video, "key", at + "video."), F.text(video, "versionId", at + "video.")),
                (ObjectNode) request,
                F.named(node, "outcome", at, StepOutcome.class),
                F.integer(node, "nextDelaySeconds", at),
                seen == null ? null : observation(F.object(seen, at + "observation"), at + "observation."),
                F.whole(node, "submittedAtMillis", at),
                F.integer(node, "expectedSeconds", at),
                failure == null ? null : new StepState.Failure(F.text(F.object(failure, at + "failure"), "code", at + "failure."),
                        F.text(failure, "message", at + "failure."), F.text(failure, "hint", at + "failure.")),
                error == null ? null : new StepState.CaughtError(F.text(F.object(error, at + "error"), "Error", at + "error."),
                        F.text(error, "Cause", at + "error.")),
                previous == null ? null : state(previous, at + "previous."),
                F.named(node, "ended", at, JobStatus.class),
                segmentJobs(TreeFields.field(node, "segmentJobs"), at + "segmentJobs"));
    }

    /** A list of job ids, each a string. */
    private static java.util.List<String> segmentJobs(JsonNode node, String at) {
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw F.wrong(at, "an array of job ids", node);
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw F.wrong(at, "an array of job ids", node);
            }
            ids.add(id.asText());
        }
        return java.util.List.copyOf(ids);
    }

    /** An observation has both its progress and its time. */
    private static PollSchedule.Observation observation(JsonNode node, String at) {
        Double progress = F.number(node, "progress", at);
        Long atMillis = F.whole(node, "atMillis", at);
        if (progress == null) {
            throw F.wrong(at + "progress", "a number", null);
        }
        if (atMillis == null) {
            throw F.wrong(at + "atMillis", "a whole number", null);
        }
        return new PollSchedule.Observation(progress, atMillis);
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
