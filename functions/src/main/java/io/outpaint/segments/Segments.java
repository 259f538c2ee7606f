package io.outpaint.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Hashes;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code segments} section of a job record. A parent (a clip longer than one generation) holds its plan and,
 * once split, one item per segment: the segment's current job, its attempt and the status last seen. A segment's
 * job holds its parent, its index and its attempt. A job of one generation has no section.
 *
 * <pre>
 * parent: {"plan": {SegmentJson}, "count": 3, "succeeded": 1,
 *          "items": [{"index": 0, "jobId": "api-x-s001", "attempt": 1, "status": "SUCCEEDED"}, ...],
 *          "retries": [{"segment": 2, "at": "...", "jobId": "api-x-s002-a2", "previousJobId": "api-x-s002",
 *                       "previousSeed": 7, "seed": 42}]}
 * segment: {"parent": "api-x", "index": 0, "count": 3, "attempt": 1}
 * </pre>
 * A segment a user had generated again ({@code POST /jobs/{id}/segments/{n}/retry}) has, in its item, its own
 * {@code seed} (the plan's otherwise), {@code roundFrom} (the attempt its user's retry started: its automatic retry
 * counts from there) and {@code queuedAt} (its place in the queue: the retry's time, not the parent's).
 */
public final class Segments {

    /** How many times a segment is generated before its parent fails: once, then once more with the same seed. */
    public static final int ATTEMPTS = 2;
    /** Where the steps keep a parent's intermediate files (segment inputs, finished pieces): never under inputs/. */
    public static final String WORK_PREFIX = "work/";

    private static final int MAX_ID = 80;

    private Segments() {}

    /** A segment's place: its parent, its index (from 0) among {@code count}, and which attempt its job is. */
    public record SegmentOf(String parent, int index, int count, int attempt) {}

    /**
     * One segment of a parent, as the parent's record lists it: {@code seed} is null while the segment keeps the plan's;
     * {@code roundFrom} is the attempt its last user's retry started (1 before any).
     */
    public record Item(int index, String jobId, int attempt, JobStatus status, Long seed, int roundFrom) {

        /** Attempts left in this round: a failed attempt is generated once more (same seed) before the parent fails. */
        public boolean mayRetryAutomatically() {
            return attempt - roundFrom + 1 < ATTEMPTS;
        }
    }

    /** One retry of a segment a user asked for, as the parent records it ({@code segment} from 1). */
    public record Retry(int segment, String at, String jobId, String previousJobId, long previousSeed, long seed, String keyHash) {}

    public static boolean isParent(Job job) {
        return job.segments() != null && job.segments().has("plan");
    }

    public static boolean isSegment(Job job) {
        return job.segments() != null && job.segments().has("parent");
    }

    /** The parent's section before its split: the plan alone. */
    public static ObjectNode planned(SegmentPlan plan) {
        ObjectNode section = Json.MAPPER.createObjectNode();
        section.set("plan", SegmentJson.write(plan, true));
        section.put("count", plan.count());
        section.put("succeeded", 0);
        return section;
    }

    /** The parent's section once split: its plan and the first job of each segment, all waiting. */
    public static ObjectNode split(ObjectNode planned, List<String> jobIds) {
        ObjectNode section = planned.deepCopy();
        ArrayNode items = section.putArray("items");
        for (int i = 0; i < jobIds.size(); i++) {
            items.addObject().put("index", i).put("jobId", jobIds.get(i)).put("attempt", 1).put("status", JobStatus.WAITING_FOR_SLOT.name());
        }
        return section;
    }

    /** A segment's section. */
    public static ObjectNode segment(String parent, int index, int count, int attempt) {
        return Json.MAPPER.createObjectNode().put("parent", parent).put("index", index).put("count", count).put("attempt", attempt);
    }

    public static Optional<SegmentOf> segmentOf(Job job) {
        if (!isSegment(job)) {
            return Optional.empty();
        }
        JsonNode s = job.segments();
        return Optional.of(new SegmentOf(s.path("parent").asText(), s.path("index").asInt(), s.path("count").asInt(),
                s.path("attempt").asInt(1)));
    }

    /** The parent's plan as recorded (before and after the split). */
    public static ObjectNode plan(Job parent) {
        return (ObjectNode) parent.segments().get("plan");
    }

    public static int count(Job parent) {
        return parent.segments().path("count").asInt();
    }

    /** The parent's items, in index order; empty before the split. */
    public static List<Item> items(Job parent) {
        List<Item> items = new ArrayList<>();
        for (JsonNode i : parent.segments().path("items")) {
            items.add(new Item(i.path("index").asInt(), i.path("jobId").asText(), i.path("attempt").asInt(1),
                    JobStatus.valueOf(i.path("status").asText()), i.hasNonNull("seed") ? i.path("seed").asLong() : null,
                    i.path("roundFrom").asInt(1)));
        }
        return items;
    }

    /** The section with item {@code index} now {@code jobId} (attempt {@code attempt}) in {@code status}; the succeeded count kept true. */
    public static ObjectNode withItem(Job parent, int index, String jobId, int attempt, JobStatus status) {
        ObjectNode section = parent.segments().deepCopy();
        ObjectNode item = (ObjectNode) section.withArray("items").get(index);
        item.put("jobId", jobId).put("attempt", attempt).put("status", status.name());
        int succeeded = 0;
        for (JsonNode i : section.withArray("items")) {
            if (JobStatus.SUCCEEDED.name().equals(i.path("status").asText())) {
                succeeded++;
            }
        }
        section.put("succeeded", succeeded);
        return section;
    }

    /** The seed segment {@code index} is generated with: its own after a user's retry, else the plan's one seed. */
    public static long seedOf(Job parent, int index) {
        JsonNode item = parent.segments().path("items").path(index);
        return item.hasNonNull("seed") ? item.path("seed").asLong() : plan(parent).path("seed").asLong();
    }

    /** The retries of segments users asked for, oldest first. */
    public static List<Retry> retries(Job parent) {
        List<Retry> retries = new ArrayList<>();
        for (JsonNode r : parent.segments().path("retries")) {
            retries.add(new Retry(r.path("segment").asInt(), r.path("at").asText(), r.path("jobId").asText(),
                    r.path("previousJobId").asText(), r.path("previousSeed").asLong(), r.path("seed").asLong(),
                    r.hasNonNull("keyHash") ? r.path("keyHash").asText() : null));
        }
        return retries;
    }

    /**
     * The section with segment {@code index} generated again by a user: its item the new job ({@code attempt}, waiting,
     * its own seed, a round of attempts starting there, queued at {@code at}) and the retry appended to {@code retries};
     * the succeeded count kept true.
     */
    public static ObjectNode retried(Job parent, int index, int attempt, long seed, java.time.Instant at, String keyHash) {
        Item before = items(parent).get(index);
        String jobId = jobId(parent.jobId(), index, attempt);
        ObjectNode section = requeued(parent, index, attempt, seed, at);
        ObjectNode retry = section.withArray("retries").addObject().put("segment", index + 1).put("at", at.toString())
                .put("jobId", jobId).put("previousJobId", before.jobId()).put("previousSeed", seedOf(parent, index)).put("seed", seed);
        if (keyHash != null) {
            retry.put("keyHash", keyHash);
        }
        return section;
    }

    /** The section with segment {@code index} queued again as job attempt {@code attempt}, with {@code seed}, at {@code at}. */
    public static ObjectNode requeued(Job parent, int index, int attempt, long seed, java.time.Instant at) {
        ObjectNode section = withItem(parent, index, jobId(parent.jobId(), index, attempt), attempt, JobStatus.WAITING_FOR_SLOT);
        ObjectNode item = (ObjectNode) section.withArray("items").get(index);
        item.put("roundFrom", attempt).put("queuedAt", at.toString());
        if (seed != plan(parent).path("seed").asLong() || item.has("seed")) {
            item.put("seed", seed);
        }
        return section;
    }

    /**
     * What Scenario billed for the parent's segments: every attempt of each (a failed attempt may have been billed too),
     * as each segment's job recorded it; empty while none has a billed figure. Each segment's job reserves and settles its
     * own units in the budget's books: this sum is the parent's view, never a second settlement.
     */
    public static Optional<Integer> billed(Job parent, java.util.function.Function<String, Optional<Job>> find) {
        Integer total = null;
        for (Item item : items(parent)) {
            for (int attempt = 1; attempt <= item.attempt(); attempt++) {
                Integer billed = find.apply(jobId(parent.jobId(), item.index(), attempt)).map(j -> j.billingOrNone().billed()).orElse(null);
                if (billed != null) {
                    total = (total == null ? 0 : total) + billed;
                }
            }
        }
        return Optional.ofNullable(total);
    }

    /** Whether every segment of the parent has succeeded. */
    public static boolean allSucceeded(Job parent) {
        List<Item> items = items(parent);
        return !items.isEmpty() && items.stream().allMatch(i -> i.status() == JobStatus.SUCCEEDED);
    }

    /** The job ids of the parent's segments, in order. */
    public static List<String> jobIds(Job parent) {
        return items(parent).stream().map(Item::jobId).toList();
    }

    /**
     * The job id of a segment: the parent's id, {@code -s} and the 1-based index on three digits, {@code -a} and the
     * attempt after the first; shortened with a hash of the parent's id when that would pass 80 characters (the
     * longest execution name, less the {@code -rN} of a resumed one).
     */
    public static String jobId(String parent, int index, int attempt) {
        String suffix = String.format("-s%03d", index + 1) + (attempt > 1 ? "-a" + attempt : "");
        int room = MAX_ID - 4 - suffix.length();
        String base = parent.length() <= room ? parent
                : parent.substring(0, room - 13) + "-" + Hashes.sha256Hex(parent).substring(0, 12);
        return base + suffix;
    }

    /**
     * The job of segment {@code index} (attempt {@code attempt}) of a split parent: queued at the parent's place (its
     * creation time, so a parent's segments are admitted next to each other, in order; a segment a user had generated
     * again, at its retry's time), its input the Split step's cut, its request the parent's with the segment's generated
     * frames, the plan's one seed (or the segment's own after a user's retry), and no finishing (the join finishes the
     * whole); no webhook (the parent notifies).
     */
    public static Job segmentJob(Job parent, int index, int attempt, String bucket, Long inputBytes) {
        JsonNode planned = plan(parent).path("each").get(index);
        ObjectNode request = parent.request().deepCopy();
        request.remove("numFrames");
        request.put("matchInputNumFrames", false);
        request.put("numFrames", planned.path("generatedFrames").asInt());
        request.put("seed", seedOf(parent, index));
        request.put("finish", false);
        Job.Source source = new Job.Source("segment", bucket, inputKey(parent.jobId(), index), null, null, inputBytes, "video/mp4");
        int retentionDays = (int) Math.max(1, (parent.expiresAt() - parent.createdAt().getEpochSecond()) / 86_400L);
        String name = parent.inputName() != null ? parent.inputName() : Job.nameIn(parent.source().key());
        JsonNode queuedAt = parent.segments().path("items").path(index).path("queuedAt");
        java.time.Instant place = queuedAt.isTextual() ? java.time.Instant.parse(queuedAt.asText()) : parent.createdAt();
        return Job.queued(jobId(parent.jobId(), index, attempt), request, source, null, null, place, retentionDays)
                .withSegments(segment(parent.jobId(), index, count(parent), attempt), place)
                .withInputName((name == null ? "" : name + " · ") + "segment " + (index + 1) + " of " + count(parent));
    }

    /** Where the Split step writes segment {@code index}'s input. */
    public static String inputKey(String parent, int index) {
        return WORK_PREFIX + parent + String.format("/segments/%03d.mp4", index + 1);
    }

    /** Whether {@code key} is a segment's input as {@link #inputKey} names it (the one kind of input outside inputs/). */
    public static boolean isInputKey(String key) {
        return key != null && SEGMENT_INPUT.matcher(key).matches();
    }

    private static final java.util.regex.Pattern SEGMENT_INPUT =
            java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(WORK_PREFIX) + io.outpaint.job.JobIds.PATTERN + "/segments/[0-9]{3}\\.mp4");

    /**
     * Where FinishSegment writes a finished piece ({@code head}, {@code body} or {@code tail}) of segment {@code index}.
     * A segment's pieces are made from its own generation and its neighbours' (their margins' colours are matched in the
     * overlaps, {@code MarginColours}), so the key names the attempt of all three ({@code a<previous>.<own>.<next>-}
     * once any of them is past its first): after a segment is generated again, it and its two neighbours are finished
     * anew, the other segments' pieces are kept, and pieces of two rounds are never joined together.
     */
    public static String pieceKey(String parent, List<Item> items, int index, String piece, String extension) {
        int previous = index > 0 ? items.get(index - 1).attempt() : 1;
        int own = items.get(index).attempt();
        int next = index + 1 < items.size() ? items.get(index + 1).attempt() : 1;
        String round = previous == 1 && own == 1 && next == 1 ? "" : "a" + previous + "." + own + "." + next + "-";
        return WORK_PREFIX + parent + String.format("/pieces/%03d-%s%s%s", index + 1, round, piece, extension);
    }

    /**
     * The segments whose current generation the join after a retry reads, when the segments {@code generatedAgain} get new
     * ones: each segment finished anew (one generated again and its two neighbours, whose pieces are named after the
     * attempts of all three, {@link #pieceKey}) reads its own generation and those of the neighbours it overlaps
     * ({@code MarginColours}), so a segment up to two places from one generated again may be read. The segments
     * generated again are left out (their generations are to come), as are those whose pieces are kept.
     */
    public static java.util.SortedSet<Integer> generationsReadAgain(Job parent, java.util.Collection<Integer> generatedAgain) {
        JsonNode each = plan(parent).path("each");
        int count = each.size();
        java.util.SortedSet<Integer> read = new java.util.TreeSet<>();
        for (int again : generatedAgain) {
            for (int finished = again - 1; finished <= again + 1; finished++) {
                if (finished < 0 || finished >= count) {
                    continue;
                }
                read.add(finished);
                if (finished > 0 && each.path(finished).path("overlapWithPrevious").asLong() > 0) {
                    read.add(finished - 1);
                }
                if (finished + 1 < count && each.path(finished + 1).path("overlapWithPrevious").asLong() > 0) {
                    read.add(finished + 1);
                }
            }
        }
        read.removeAll(generatedAgain);
        return read;
    }

    /** The parent's progress: the share of its segments that succeeded, short of the join. */
    public static double progress(Job parent) {
        int count = Math.max(1, count(parent));
        return 0.9 * parent.segments().path("succeeded").asInt() / count;
    }
}
