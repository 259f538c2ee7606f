package io.outpaint.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.Hashes;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.request.FieldError;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.segments.Segments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a long clip generated again with a new seed, for a segment a user does not like (or the one that
 * failed it): allowed when the parent SUCCEEDED, or FAILED with SEGMENT_FAILED. The segment gets a new attempt job
 * ({@code -aN}), queued as any job at the back of the queue (budget, admission, the limit on jobs in flight); the parent
 * goes back to RENDERING_SEGMENTS, its outputs kept until the new join replaces them, the retry recorded in its
 * {@code segments.retries}. The fan-in then starts the join again when the new attempt succeeds, over the other
 * segments' generations as they are. A parent that failed has its other unfinished segments (taken out of the queue
 * when it failed) queued again too, each with the seed it had, so that the clip can be joined.
 */
final class SegmentRetry {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRetry.class);
    private static final String RETRYABLE = "a segment can be generated again once its job has SUCCEEDED, or FAILED with SEGMENT_FAILED";

    private final PipelineServices services;
    private final JobStarter starter;

    SegmentRetry(PipelineServices services, JobStarter starter) {
        this.services = services;
        this.starter = starter;
    }

    /** What a retry did: the parent as written, the retry recorded, and the other segments queued again with it. */
    record Retried(Job parent, Segments.Retry retry, List<String> requeued) {}

    Retried retry(Job parent, String n, JsonNode body, Optional<String> idempotencyKey) {
        if (!Segments.isParent(parent)) {
            String hint = Segments.segmentOf(parent).map(of -> "; it is segment " + (of.index() + 1) + " of job " + of.parent()
                    + ": POST /jobs/" + of.parent() + "/segments/" + (of.index() + 1) + "/retry").orElse("");
            throw new ApiError(400, "NOT_SEGMENTED", "id: job " + parent.jobId() + " is not a long clip generated in segments"
                    + hint, List.of(new FieldError("id", parent.jobId(), "the id of a long clip's job, one with segments" + hint)));
        }
        int count = Segments.count(parent);
        int index = segmentIndex(n, count);
        Optional<Long> asked = seedIn(body);
        JobsApi.checkIdempotencyKey(idempotencyKey);
        String keyHash = idempotencyKey.map(Hashes::sha256Hex).orElse(null);
        Optional<Segments.Retry> earlier = keyHash == null ? Optional.empty()
                : Segments.retries(parent).stream().filter(r -> keyHash.equals(r.keyHash())).findFirst();
        if (earlier.isPresent()) {
            return repeat(parent, earlier.get(), index, asked);
        }
        refuseUnlessRetryable(parent);
        if (Segments.items(parent).size() != count) {
            throw new ApiError(409, "NOT_RETRYABLE", "job " + parent.jobId() + " has not been split into its segments; " + RETRYABLE);
        }
        long previous = Segments.seedOf(parent, index);
        asked.filter(s -> s == previous).ifPresent(s -> {
            throw ApiError.badField("seed", Long.toString(s), "an integer from 0 to " + OutpaintRequest.MAX_SEED
                    + " other than the segment's current seed, " + previous + " (the same seed generates the same segment)");
        });
        long seed = asked.orElseGet(() -> newSeed(previous));

        // the other segments of a failed parent that did not succeed (taken out of the queue when it failed): queued again
        Map<Integer, Job> current = new LinkedHashMap<>();
        for (Segments.Item item : Segments.items(parent)) {
            services.jobs().find(item.jobId()).ifPresent(j -> current.put(item.index(), j));
        }
        // a segment still running (a failed parent's others may still be generating) ends on its own first: a retry
        // beside it would generate it twice, or miss its end and leave the clip waiting for it
        for (Map.Entry<Integer, Job> e : current.entrySet()) {
            if (!e.getValue().status().isTerminal()) {
                throw new ApiError(409, "NOT_RETRYABLE", "segment " + (e.getKey() + 1) + " of job " + parent.jobId() + " is still "
                        + e.getValue().status() + " (job " + e.getValue().jobId() + "); a segment can be generated again once every"
                        + " segment of the clip has ended");
            }
        }
        List<Integer> others = new ArrayList<>();
        for (Segments.Item item : Segments.items(parent)) {
            Job job = current.get(item.index());
            if (item.index() != index && (job == null ? item.status() != JobStatus.SUCCEEDED
                    : job.status().isTerminal() && job.status() != JobStatus.SUCCEEDED)) {
                others.add(item.index());
            }
        }
        refuseUnlessInputsKept(parent, index, others, current);
        Instant now = services.clock().instant();
        String note = "segment " + (index + 1) + " generated again with seed " + seed + " (was " + previous + ")";
        Job written = services.jobs().update(parent, p -> {
            if (!retryable(p) || Segments.items(p).size() != count) {
                return p;
            }
            Job q = p.withSegments(Segments.retried(p, index, Segments.items(p).get(index).attempt() + 1, seed, now, keyHash), now);
            for (Segments.Item item : Segments.items(q)) {
                Job job = current.get(item.index());
                if (others.contains(item.index())) {
                    q = q.withSegments(Segments.requeued(q, item.index(), item.attempt() + 1, Segments.seedOf(q, item.index()), now), now);
                } else if (item.index() != index && job != null && job.jobId().equals(item.jobId()) && job.status() != item.status()
                        && job.status().isTerminal()) {
                    // an end the failed parent recorded late, or not at all: the item says what the segment's record says
                    q = q.withSegments(Segments.withItem(q, item.index(), item.jobId(), item.attempt(), job.status()), now);
                }
            }
            return q.reopenForSegmentRetry(now, note, Segments.progress(q));
        });
        Segments.Retry retry = Segments.retries(written).isEmpty() ? null : Segments.retries(written).get(Segments.retries(written).size() - 1);
        if (written.status() != JobStatus.RENDERING_SEGMENTS || retry == null || !retry.at().equals(now.toString())
                || retry.segment() != index + 1) {
            throw new ApiError(409, "NOT_RETRYABLE", "job " + parent.jobId() + " is " + written.status() + " now; " + RETRYABLE);
        }
        // the parent names the new jobs first: a crash between the writes leaves names the sweep queues (SegmentFanIn.heal)
        List<String> requeued = new ArrayList<>();
        for (Segments.Item item : Segments.items(written)) {
            if (item.index() == index || others.contains(item.index())) {
                Job before = current.get(item.index());
                String bucket = inputBucket(written, before);
                Long size = before != null && before.source() != null ? before.source().size() : null;
                starter.start(Segments.segmentJob(written, item.index(), item.attempt(), bucket, size));
                if (item.index() != index) {
                    requeued.add(item.jobId());
                }
            }
        }
        LOG.info("parent {}: {} as {}; queued again with it: {}", parent.jobId(), note, retry.jobId(), requeued);
        return new Retried(services.jobs().get(parent.jobId()), retry, requeued);
    }

    /** The same Idempotency-Key again: the retry it asked for, if it asks the same (segment and seed), else a refusal. */
    private Retried repeat(Job parent, Segments.Retry earlier, int index, Optional<Long> asked) {
        if (earlier.segment() != index + 1 || asked.filter(s -> s != earlier.seed()).isPresent()) {
            throw new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for the retry of segment " + earlier.segment()
                    + " of job " + parent.jobId() + " with seed " + earlier.seed() + "; use a new key for a new retry");
        }
        services.admission().dispatch(); // a retry whose first dispatch was lost is started now
        return new Retried(parent, earlier, List.of());
    }

    /**
     * Refuses a retry whose re-run would fail for want of its inputs, before anything is written: the clip's source (the
     * version the job read, which the join and the segments' finishing read again), the Split step's cut of each segment
     * queued again (the retried one, and a failed parent's others), which its new job generates from, and the raw
     * generation of each other segment the new join finishes anew or matches colours against
     * ({@link Segments#generationsReadAgain}: the retried segment's neighbours, and theirs where they overlap). The
     * bucket's lifecycle expires inputs after 30 days and results (a segment's generation is its job's result) after 90;
     * an object lost otherwise is refused the same way. A HEAD each, no download.
     */
    private void refuseUnlessInputsKept(Job parent, int index, List<Integer> others, Map<Integer, Job> current) {
        List<String> missing = new ArrayList<>();
        Job.Source source = parent.source();
        if (!services.inputs().exists(source.bucket(), source.key(), source.versionId())) {
            missing.add("the clip's input s3://" + source.bucket() + "/" + source.key()
                    + (source.versionId() == null ? "" : " (version " + source.versionId() + ")"));
        }
        for (Segments.Item item : Segments.items(parent)) {
            if (item.index() == index || others.contains(item.index())) {
                String bucket = inputBucket(parent, current.get(item.index()));
                String key = Segments.inputKey(parent.jobId(), item.index());
                if (!services.inputs().exists(bucket, key)) {
                    missing.add("segment " + (item.index() + 1) + "'s input s3://" + bucket + "/" + key);
                }
            }
        }
        List<Integer> generatedAgain = new ArrayList<>(others);
        generatedAgain.add(index);
        boolean generationGone = false;
        for (int read : Segments.generationsReadAgain(parent, generatedAgain)) {
            Job segment = current.get(read);
            Optional<Job.Output> raw = segment == null ? Optional.empty() : segment.outputs().stream().findFirst();
            if (segment == null) {
                missing.add("segment " + (read + 1) + "'s job " + Segments.items(parent).get(read).jobId() + " (its generation's record)");
            } else if (raw.isEmpty()) {
                missing.add("segment " + (read + 1) + "'s generation (job " + segment.jobId() + " has no output on record)");
            } else if (!services.inputs().exists(raw.get().bucket(), raw.get().key())) {
                missing.add("segment " + (read + 1) + "'s generation s3://" + raw.get().bucket() + "/" + raw.get().key());
            } else {
                continue;
            }
            generationGone = true;
        }
        if (!missing.isEmpty()) {
            throw new ApiError(409, "INPUT_GONE", "segment " + (index + 1) + " of job " + parent.jobId() + " cannot be generated"
                    + " again: " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " gone (inputs are kept "
                    + io.outpaint.media.InputVideos.KEPT_DAYS + " days" + (generationGone ? ", the segments' generations "
                    + io.outpaint.request.ObjectKeys.OUTPUTS_KEPT_DAYS + " days, as long as their jobs' records" : "")
                    + "); submit the clip again (POST /jobs) for a new job");
        }
    }

    /** The bucket of a segment's cut: where its current job reads it, else the parent's. */
    private static String inputBucket(Job parent, Job segment) {
        return segment != null && segment.source() != null ? segment.source().bucket() : parent.source().bucket();
    }

    /**
     * Whether a retry of one of this job's segments would be allowed by its status (a split parent that SUCCEEDED, or
     * FAILED with SEGMENT_FAILED): what {@code links.retrySegment} is offered on. Its inputs are checked only when asked.
     */
    static boolean offered(Job job) {
        return Segments.isParent(job) && retryable(job) && Segments.items(job).size() == Segments.count(job);
    }

    private static boolean retryable(Job parent) {
        return parent.status() == JobStatus.SUCCEEDED || (parent.status() == JobStatus.FAILED && parent.error() != null
                && "SEGMENT_FAILED".equals(parent.error().code()));
    }

    private static void refuseUnlessRetryable(Job parent) {
        if (!retryable(parent)) {
            String why = parent.status() == JobStatus.FAILED && parent.error() != null ? " (" + parent.error().code() + ")" : "";
            throw new ApiError(409, "NOT_RETRYABLE", "job " + parent.jobId() + " is " + parent.status() + why + "; " + RETRYABLE);
        }
    }

    /** {@code n} of the path: the segment's number as lists show it, from 1 to the parent's count. */
    private static int segmentIndex(String n, int count) {
        int value;
        try {
            value = n != null && n.matches("[0-9]{1,9}") ? Integer.parseInt(n) : -1;
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > count) {
            throw ApiError.badField("n", n == null ? null : io.outpaint.request.TextRules.echoed(n),
                    "a segment's number, an integer from 1 to " + count + " (this clip has " + count + " segments)");
        }
        return value - 1;
    }

    /** The body's {@code seed}: none (no body, or {} ), or an integer in the request's range; any other field refused. */
    private static Optional<Long> seedIn(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return Optional.empty();
        }
        if (!body.isObject()) {
            throw new ApiError(400, "INVALID_JSON", "the body must be a JSON object: {\"seed\": 42}, {} or none");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("seed")) {
                errors.add(new FieldError(name, null, "not a field of a segment's retry; allowed: seed"));
            }
        }
        JsonNode seed = body.path("seed");
        String allowed = "an integer from 0 to " + OutpaintRequest.MAX_SEED + ", or none for a random one";
        if (!seed.isMissingNode() && !(seed.isIntegralNumber() && seed.canConvertToLong() && seed.asLong() >= 0
                && seed.asLong() <= OutpaintRequest.MAX_SEED)) {
            errors.add(new FieldError("seed", seed.toString(), allowed));
        }
        if (!errors.isEmpty()) {
            throw new ApiError(400, "INVALID_REQUEST", errors.get(0).field() + ": " + errors.get(0).allowed(), errors);
        }
        return seed.isMissingNode() ? Optional.empty() : Optional.of(seed.asLong());
    }

    private static long newSeed(long previous) {
        long seed;
        do {
            seed = ThreadLocalRandom.current().nextLong(OutpaintRequest.MAX_SEED + 1);
        } while (seed == previous);
        return seed;
    }
}
