package io.outpaint.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one outpainting job: what was asked, where the input came from, what Scenario
 * said, where the results are, and every status it went through. {@code inputName} is the input's
 * file name as people know it (what lists show beside the id): the name the client gave, else the
 * last part of the input's key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        String jobId,
        JobStatus status,
        Long version,
        Instant createdAt,
        Instant updatedAt,
        ObjectNode request,
        Source source,
        String executionArn,
        String idempotencyKey,
        Scenario scenario,
        double progress,
        List<Output> outputs,
        JobError error,
        List<StatusChange> history,
        long expiresAt,
        String webhookUrl,
        ObjectNode framing,
        Billing billing,
        ObjectNode finish,
        String inputName,
        ObjectNode segments) {

    /**
     * Where the input video is. {@code ignoredMetadata}: the names of the upload's S3 metadata that are not the
     * pipeline's (another tool's, such as rclone's {@code mtime}), left aside rather than refused; null when none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String type, String bucket, String key, String versionId, String etag, Long size, String contentType,
                         List<String> ignoredMetadata) {

        public Source {
            ignoredMetadata = ignoredMetadata == null || ignoredMetadata.isEmpty() ? null : List.copyOf(ignoredMetadata);
        }

        public Source(String type, String bucket, String key, String versionId, String etag, Long size, String contentType) {
            this(type, bucket, key, versionId, etag, size, contentType, null);
        }

        /** This source, with the metadata names left aside listed. */
        public Source withIgnoredMetadata(List<String> names) {
            return new Source(type, bucket, key, versionId, etag, size, contentType, names);
        }
    }

    /** Scenario's ids for this job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scenario(String videoAssetId, String jobId, Instant submittingAt, Instant submittedAt) {
        public static final Scenario NONE = new Scenario(null, null, null, null);
        public Scenario withVideoAssetId(String v) { return new Scenario(v, jobId, submittingAt, submittedAt); }
        public Scenario withSubmitting(Instant at) { return new Scenario(videoAssetId, jobId, at, submittedAt); }
        public Scenario withJob(String id, Instant at) { return new Scenario(videoAssetId, id, submittingAt, at); }
    }

    /** One result copied into the bucket. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String assetId, String bucket, String key, long bytes, String sha256, String contentType,
                         Integer width, Integer height, Double durationSeconds) {}

    /**
     * Why a job did not succeed: a code, a message and, from Scenario, a hint. A long clip that failed with
     * SEGMENT_FAILED names the segment that failed it in {@code segment} (numbered from 1, as the retry route
     * numbers it), so that no reader has to find it in the message's wording; null for any other failure, and
     * in records written before the field (where the message's "segment N of M (jobId)" is all there is).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobError(String code, String message, String hint, Integer segment) {
        public JobError(String code, String message, String hint) {
            this(code, message, hint, null);
        }
    }

    /**
     * What the job costs in creative units: the estimate at creation (its shape's price), what Scenario
     * billed once its job ended (cuCost less cuDiscount; 0 for a refunded failure), the budget period
     * whose units it reserved at admission (null when no budget held it), and the most the client let it
     * cost ({@code maxCreativeUnits} of {@code POST /jobs}; null when none was given, and in records older
     * than it), kept so that a video that lands after the job was created is checked against it too.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Billing(Integer estimate, Integer billed, String budgetPeriod, Integer maxCreativeUnits) {
        public static final Billing NONE = new Billing(null, null, null, null);
        public Billing(Integer estimate, Integer billed, String budgetPeriod) {
            this(estimate, billed, budgetPeriod, null);
        }
        public Billing withEstimate(Integer v) { return new Billing(v, billed, budgetPeriod, maxCreativeUnits); }
        public Billing withBilled(Integer v) { return new Billing(estimate, v, budgetPeriod, maxCreativeUnits); }
        public Billing withBudgetPeriod(String v) { return new Billing(estimate, billed, v, maxCreativeUnits); }
        public Billing withMaxCreativeUnits(Integer v) { return new Billing(estimate, billed, budgetPeriod, v); }
    }

    /** One status change, with when and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusChange(JobStatus status, Instant at, String note) {}

    public Job {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        history = history == null ? List.of() : List.copyOf(history);
        scenario = scenario == null ? Scenario.NONE : scenario;
    }

    /**
     * How many times this job has ended: the terminal statuses in its history. 1 once it ended (0 before), more for a long
     * clip a user's segment retry reopened ({@link #reopenForSegmentRetry}) and that ended again: what tells a re-join's end
     * (its notice, its metric) from the job's first.
     */
    public int ends() {
        return (int) history.stream().filter(c -> c.status().isTerminal()).count();
    }

    /** Where this job stands in the admission queue: creation time, then id (so the order is total). */
    public String queueKey() {
        return String.format("%013d#%s", createdAt.toEpochMilli(), jobId);
    }

    /** A new job, QUEUED now, kept for {@code retentionDays}. */
    public static Job queued(String jobId, ObjectNode request, Source source, String executionArn,
                             String idempotencyKey, Instant now, int retentionDays) {
        return new Job(jobId, JobStatus.QUEUED, null, now, now, request, source, executionArn, idempotencyKey,
                Scenario.NONE, 0, List.of(), null, List.of(new StatusChange(JobStatus.QUEUED, now, null)),
                now.plusSeconds(retentionDays * 86_400L).getEpochSecond(), null, null, null, null,
                source == null ? null : nameIn(source.key()), null);
    }

    /** The last part of an object key (its file name); null for none. */
    public static String nameIn(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.isEmpty() ? null : name;
    }

    /** The input's file name as the client gave it (checked where it entered); null keeps none. */
    public Job withInputName(String value) {
        return new Job(jobId, status, version, createdAt, updatedAt, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, value, segments);
    }

    /**
     * This job in {@code next}, with the change in its history; the same job when it is already there.
     *
     * @throws IllegalTransitionException when the move would go backwards or leave a terminal status
     */
    public Job moveTo(JobStatus next, Instant now, String note) {
        if (!status.mayMoveTo(next)) {
            throw new IllegalTransitionException(jobId, status, next);
        }
        if (next == status) {
            return this;
        }
        List<StatusChange> changes = new ArrayList<>(history);
        changes.add(new StatusChange(next, now, note));
        return new Job(jobId, next, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                next == JobStatus.SUCCEEDED ? 1.0 : progress, outputs, error, changes, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    /**
     * This parent of segments, ended SUCCEEDED or FAILED, back in RENDERING_SEGMENTS for a segment generated again: its
     * error cleared, its outputs kept (the new join replaces them, so a download link never breaks meanwhile), the move
     * in its history, its progress now {@code progress} (its segments' share). Written, as every change, under the
     * record's version condition.
     *
     * @throws IllegalTransitionException for a job that is not a parent, or in another status
     */
    public Job reopenForSegmentRetry(Instant now, String note, double progress) {
        if (segments == null || !segments.has("plan") || !status.mayReopenTo(JobStatus.RENDERING_SEGMENTS)) {
            throw new IllegalTransitionException(jobId, status, JobStatus.RENDERING_SEGMENTS);
        }
        List<StatusChange> changes = new ArrayList<>(history);
        changes.add(new StatusChange(JobStatus.RENDERING_SEGMENTS, now, note));
        return new Job(jobId, JobStatus.RENDERING_SEGMENTS, version, createdAt, now, request, source, executionArn, idempotencyKey,
                scenario, progress, outputs, null, changes, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withScenario(Scenario value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, value,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withProgress(double value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                Math.max(progress, value), outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withOutput(Output output, Instant now) {
        List<Output> all = new ArrayList<>(outputs);
        all.removeIf(o -> o.key().equals(output.key()));
        all.add(output);
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, all, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withError(JobError value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, value, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withRequest(ObjectNode value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, value, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withSource(Source value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, value, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    /** Where to POST the final record, signed; null for none. */
    public Job withWebhookUrl(String value) {
        return new Job(jobId, status, version, createdAt, updatedAt, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, value, framing, billing, finish, inputName, segments);
    }

    /** The plan that reached the request's target from the probed input ({@code FramingPlan}'s JSON); null without a target. */
    public Job withFraming(ObjectNode value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, value, billing, finish, inputName, segments);
    }

    /** What finishing made ({@code FinishRecord}'s JSON: geometry, the source's place, fps, frames, audio); null before. */
    public Job withFinish(ObjectNode value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, value, inputName, segments);
    }

    /**
     * The segments section ({@code io.outpaint.segments.Segments}' JSON): a parent's plan and its segments' jobs, or a
     * segment's parent and index; null for a job of one generation.
     */
    public Job withSegments(ObjectNode value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, value);
    }

    /** These outputs in this order (the first is the result clients download), replacing the ones recorded. */
    public Job withOutputs(List<Output> value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, value, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    /** What the job costs; {@code value} may be {@link Billing#NONE}'s parts, kept as given. */
    public Job withBilling(Billing value, Instant now) {
        return new Job(jobId, status, version, createdAt, now, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, value, finish, inputName, segments);
    }

    /** The billing, never null: {@link Billing#NONE} before anything is known. */
    public Billing billingOrNone() {
        return billing == null ? Billing.NONE : billing;
    }

    public Job withExecutionArn(String value) {
        return new Job(jobId, status, version, createdAt, updatedAt, request, source, value, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }

    public Job withVersion(Long value) {
        return new Job(jobId, status, value, createdAt, updatedAt, request, source, executionArn, idempotencyKey, scenario,
                progress, outputs, error, history, expiresAt, webhookUrl, framing, billing, finish, inputName, segments);
    }
}
