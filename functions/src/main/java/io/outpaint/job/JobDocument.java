package io.outpaint.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.json.TreeFields;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A job record as the table stores it: one JSON document, in the form {@link JobJson}'s data
 * binding gives the record (times as ISO-8601; a test holds the two together), read and written
 * through Jackson's tree. Every function reads a job on its first invocation, and the data
 * binding would introspect the job's six records there on its first use (about 150 classes; the
 * README's {@code bench coldstart} gives the difference it made).
 * As the data binding did, a field the record does not have is refused (so that a rewrite never
 * drops it), a JSON null is an absent field, and a missing number is 0. A field of the wrong type
 * is refused with its path: stricter than the binding's coercions (a number for a string, "15" for
 * 15, an enum by its index, an instant as epoch seconds), none of which the store ever wrote.
 */
public final class JobDocument {

    // trees only: the data binding's Java time module is not needed here (nor loaded, where nothing else binds a record)
    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final TreeFields F = new TreeFields("a job record's");
    private static final Set<String> JOB = Set.of("jobId", "status", "version", "createdAt", "updatedAt", "request", "source",
            "executionArn", "idempotencyKey", "scenario", "progress", "outputs", "error", "history", "expiresAt", "webhookUrl",
            "framing", "billing", "finish", "inputName", "segments");
    private static final Set<String> SOURCE = Set.of("type", "bucket", "key", "versionId", "etag", "size", "contentType",
            "ignoredMetadata");
    private static final Set<String> SCENARIO = Set.of("videoAssetId", "jobId", "submittingAt", "submittedAt");
    private static final Set<String> OUTPUT = Set.of("assetId", "bucket", "key", "bytes", "sha256", "contentType", "width",
            "height", "durationSeconds");
    private static final Set<String> ERROR = Set.of("code", "message", "hint", "segment");
    private static final Set<String> CHANGE = Set.of("status", "at", "note");
    private static final Set<String> BILLING = Set.of("estimate", "billed", "budgetPeriod", "maxCreativeUnits");

    private JobDocument() {}

    /** The job {@code document} holds; refused with the field's path when it is not a job record. */
    public static Job read(String document) {
        JsonNode node;
        try {
            node = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a job record must be a JSON object: " + e.getOriginalMessage());
        }
        JsonNode root = object(node, "", JOB);
        return new Job(
                F.text(root, "jobId", ""),
                F.named(root, "status", "", JobStatus.class),
                F.whole(root, "version", ""),
                instant(root, "createdAt", ""),
                instant(root, "updatedAt", ""),
                object(root, "request"),
                nested(root, "source", "", SOURCE, s -> new Job.Source(F.text(s, "type", "source."), F.text(s, "bucket", "source."),
                        F.text(s, "key", "source."), F.text(s, "versionId", "source."), F.text(s, "etag", "source."),
                        F.whole(s, "size", "source."), F.text(s, "contentType", "source."), texts(s, "ignoredMetadata", "source."))),
                F.text(root, "executionArn", ""),
                F.text(root, "idempotencyKey", ""),
                nested(root, "scenario", "", SCENARIO, s -> new Job.Scenario(F.text(s, "videoAssetId", "scenario."),
                        F.text(s, "jobId", "scenario."), instant(s, "submittingAt", "scenario."), instant(s, "submittedAt", "scenario."))),
                orZero(F.number(root, "progress", "")),
                list(root, "outputs", OUTPUT, (o, at) -> new Job.Output(F.text(o, "assetId", at), F.text(o, "bucket", at),
                        F.text(o, "key", at), orZero(F.whole(o, "bytes", at)), F.text(o, "sha256", at), F.text(o, "contentType", at),
                        F.integer(o, "width", at), F.integer(o, "height", at), F.number(o, "durationSeconds", at))),
                nested(root, "error", "", ERROR, e -> new Job.JobError(F.text(e, "code", "error."), F.text(e, "message", "error."),
                        F.text(e, "hint", "error."), F.integer(e, "segment", "error."))),
                list(root, "history", CHANGE, (c, at) -> new Job.StatusChange(F.named(c, "status", at, JobStatus.class),
                        instant(c, "at", at), F.text(c, "note", at))),
                orZero(F.whole(root, "expiresAt", "")),
                F.text(root, "webhookUrl", ""),
                object(root, "framing"),
                nested(root, "billing", "", BILLING, b -> new Job.Billing(F.integer(b, "estimate", "billing."),
                        F.integer(b, "billed", "billing."), F.text(b, "budgetPeriod", "billing."),
                        F.integer(b, "maxCreativeUnits", "billing."))),
                object(root, "finish"),
                F.text(root, "inputName", ""),
                object(root, "segments"));
    }

    /** {@code job} as the stored document. */
    public static String write(Job job) {
        try {
            return JSON.writeValueAsString(tree(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job's tree could not be written", e);
        }
    }

    /** {@code job} as a JSON object; absent fields are left out, numbers and lists always written. */
    public static ObjectNode tree(Job job) {
        ObjectNode node = JSON.createObjectNode();
        put(node, "jobId", job.jobId());
        put(node, "status", job.status());
        if (job.version() != null) {
            node.put("version", job.version());
        }
        put(node, "createdAt", job.createdAt());
        put(node, "updatedAt", job.updatedAt());
        if (job.request() != null) {
            node.set("request", job.request());
        }
        if (job.source() != null) {
            Job.Source s = job.source();
            ObjectNode source = node.putObject("source");
            put(source, "type", s.type());
            put(source, "bucket", s.bucket());
            put(source, "key", s.key());
            put(source, "versionId", s.versionId());
            put(source, "etag", s.etag());
            if (s.size() != null) {
                source.put("size", s.size());
            }
            put(source, "contentType", s.contentType());
            if (s.ignoredMetadata() != null) {
                s.ignoredMetadata().forEach(source.putArray("ignoredMetadata")::add);
            }
        }
        put(node, "executionArn", job.executionArn());
        put(node, "idempotencyKey", job.idempotencyKey());
        ObjectNode scenario = node.putObject("scenario");
        put(scenario, "videoAssetId", job.scenario().videoAssetId());
        put(scenario, "jobId", job.scenario().jobId());
        put(scenario, "submittingAt", job.scenario().submittingAt());
        put(scenario, "submittedAt", job.scenario().submittedAt());
        node.put("progress", job.progress());
        node.set("outputs", outputs(job.outputs()));
        if (job.error() != null) {
            node.set("error", tree(job.error()));
        }
        node.set("history", history(job.history()));
        node.put("expiresAt", job.expiresAt());
        put(node, "webhookUrl", job.webhookUrl());
        if (job.framing() != null) {
            node.set("framing", job.framing());
        }
        if (job.billing() != null) {
            node.set("billing", tree(job.billing()));
        }
        if (job.finish() != null) {
            node.set("finish", job.finish());
        }
        put(node, "inputName", job.inputName());
        if (job.segments() != null) {
            node.set("segments", job.segments());
        }
        return node;
    }

    /** A job's billing as the record's form has it (the API and the notices show it so). */
    public static ObjectNode tree(Job.Billing b) {
        ObjectNode billing = JSON.createObjectNode();
        if (b.estimate() != null) {
            billing.put("estimate", b.estimate());
        }
        if (b.billed() != null) {
            billing.put("billed", b.billed());
        }
        put(billing, "budgetPeriod", b.budgetPeriod());
        if (b.maxCreativeUnits() != null) {
            billing.put("maxCreativeUnits", b.maxCreativeUnits());
        }
        return billing;
    }

    /** The outputs as the record's form has them (the API and the notices show them so). */
    public static ArrayNode outputs(List<Job.Output> all) {
        ArrayNode outputs = JSON.createArrayNode();
        for (Job.Output o : all) {
            outputs.add(tree(o));
        }
        return outputs;
    }

    /** One output as the record's form has it. */
    public static ObjectNode tree(Job.Output o) {
        ObjectNode output = JSON.createObjectNode();
        put(output, "assetId", o.assetId());
        put(output, "bucket", o.bucket());
        put(output, "key", o.key());
        output.put("bytes", o.bytes());
        put(output, "sha256", o.sha256());
        put(output, "contentType", o.contentType());
        if (o.width() != null) {
            output.put("width", o.width());
        }
        if (o.height() != null) {
            output.put("height", o.height());
        }
        if (o.durationSeconds() != null) {
            output.put("durationSeconds", o.durationSeconds());
        }
        return output;
    }

    /** A job's error as the record's form has it. */
    public static ObjectNode tree(Job.JobError e) {
        ObjectNode error = JSON.createObjectNode();
        put(error, "code", e.code());
        put(error, "message", e.message());
        put(error, "hint", e.hint());
        if (e.segment() != null) {
            error.put("segment", e.segment());
        }
        return error;
    }

    /** The status changes as the record's form has them. */
    public static ArrayNode history(List<Job.StatusChange> all) {
        ArrayNode history = JSON.createArrayNode();
        for (Job.StatusChange c : all) {
            ObjectNode change = history.addObject();
            put(change, "status", c.status());
            put(change, "at", c.at());
            put(change, "note", c.note());
        }
        return history;
    }

    private interface Element<T> {
        T of(JsonNode node, String at);
    }

    /** An object field kept whole (the request, the framing plan, the finish section): its own reader checks its fields where it is used. */
    private static ObjectNode object(JsonNode root, String name) {
        JsonNode value = TreeFields.field(root, name);
        return value == null ? null : (ObjectNode) F.object(value, name);
    }

    private static <T> T nested(JsonNode node, String name, String at, Set<String> fields, Function<JsonNode, T> of) {
        JsonNode value = TreeFields.field(node, name);
        return value == null ? null : of.apply(object(value, at + name, fields));
    }

    /** An array of strings; null when absent. */
    private static List<String> texts(JsonNode node, String name, String at) {
        JsonNode value = TreeFields.field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw F.wrong(at + name, "an array of strings", value);
        }
        List<String> all = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw F.wrong(at + name + "[" + i + "]", "a string", value.get(i));
            }
            all.add(value.get(i).asText());
        }
        return all;
    }

    private static <T> List<T> list(JsonNode node, String name, Set<String> fields, Element<T> of) {
        JsonNode value = TreeFields.field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw F.wrong(name, "an array", value);
        }
        List<T> all = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String at = name + "[" + i + "]";
            all.add(of.of(object(value.get(i), at, fields), at + "."));
        }
        return all;
    }

    /** {@code node}, an object of only the given fields; {@code at} is its path ("" for the record itself). */
    private static JsonNode object(JsonNode node, String at, Set<String> fields) {
        if (!node.isObject()) {
            if (at.isEmpty()) {
                throw new IllegalArgumentException("a job record must be a JSON object; got " + TreeFields.shown(node));
            }
            throw F.wrong(at, "an object", node);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new IllegalArgumentException((at.isEmpty() ? "a job record" : "a job record's field '" + at + "'")
                        + " has a field '" + name + "' it does not know; allowed: " + fields.stream().sorted().toList());
            }
        }
        return node;
    }

    private static Instant instant(JsonNode node, String name, String at) {
        String value = F.text(node, name, at);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw F.wrong(at + name, "an ISO-8601 instant such as 2026-12-04T10:15:30Z", node.get(name));
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static void put(ObjectNode node, String name, Object value) {
        if (value != null) {
            node.put(name, value.toString());
        }
    }
}
