package io.outpaint.pipeline;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.ExecutionNames;
import io.outpaint.queue.Executions;
import io.outpaint.segments.Segments;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-in of a parent's segments, in its record: no execution waits for another. Each segment's job, as it
 * ends, writes its status into its parent's item (a conditional write, as every job write is). The write that
 * sees every segment SUCCEEDED moves the parent from RENDERING_SEGMENTS to JOINING, so exactly one segment's end
 * starts the parent's join execution. A segment that fails is generated once more with the same seed (a new job
 * at the parent's place in the queue); a second failure fails the parent, naming the segment, and takes its
 * waiting segments out of the queue. A segment a user had generated again (its parent back in RENDERING_SEGMENTS)
 * ends here as any other: its success starts the join again, over the other segments' generations as they are. The sweep runs {@link #heal} for a fan-in lost to a crash.
 * A parent failed through the state machine is notified by the failing segment's Notify step ({@link #failedBy}); one
 * that {@link #heal} fails has no execution left to notify it, so heal sends its notice ({@link #withNotices}).
 */
public final class SegmentFanIn {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFanIn.class);

    private final JobStore jobs;
    private final Executions executions;
    private final JobStarter starter;
    private final Clock clock;

    public SegmentFanIn(JobStore jobs, Executions executions, JobStarter starter, Clock clock) {
        this.jobs = jobs;
        this.executions = executions;
        this.starter = starter;
        this.clock = clock;
    }

    public static SegmentFanIn of(PipelineServices services) {
        return new SegmentFanIn(services.jobs(), services.executions(), new JobStarter(services), services.clock());
    }

    private java.util.function.Consumer<Job> notices = parent -> { };

    /**
     * This fan-in, sending the notice of a parent that {@link #heal} fails ({@link Notify#send}): through the state machine
     * the failing segment's execution notifies it, but the segment whose end the sweep records has no execution left to.
     */
    public SegmentFanIn withNotices(java.util.function.Consumer<Job> value) {
        this.notices = value;
        return this;
    }

    /** What the end of a segment did to its parent. */
    public enum Effect { NONE, RECORDED, JOIN_STARTED, RETRIED, PARENT_FAILED }

    /** Records the end of {@code segment} (a job that ended) in its parent; nothing for a job of one generation. */
    public Effect segmentEnded(Job segment) {
        Optional<Segments.SegmentOf> place = Segments.segmentOf(segment);
        if (place.isEmpty() || !segment.status().isTerminal()) {
            return Effect.NONE;
        }
        Segments.SegmentOf of = place.get();
        Optional<Job> found = jobs.find(of.parent());
        if (found.isEmpty() || !Segments.isParent(found.get())) {
            LOG.warn("segment {} names a parent {} that is not on record", segment.jobId(), of.parent());
            return Effect.NONE;
        }
        Job parent = found.get();
        Segments.Item item = Segments.items(parent).get(of.index());
        if (!item.jobId().equals(segment.jobId())) {
            return Effect.NONE; // an earlier attempt, or one a retry replaced: the parent follows the current one
        }
        if (parent.status().isTerminal()) {
            return recordOnly(parent, of, segment);
        }
        return segment.status() == JobStatus.SUCCEEDED ? succeeded(parent, of, segment) : failed(parent, of, item, segment);
    }

    private Effect recordOnly(Job parent, Segments.SegmentOf of, Job segment) {
        // only while the parent is still ended and still names this job: a user's retry that reopened it in between
        // has read this end from the segment's record and queued what it calls for
        jobs.update(parent, p -> !p.status().isTerminal() || !Segments.items(p).get(of.index()).jobId().equals(segment.jobId()) ? p
                : p.withSegments(Segments.withItem(p, of.index(), segment.jobId(), of.attempt(), segment.status()), clock.instant()));
        return Effect.RECORDED;
    }

    private Effect succeeded(Job parent, Segments.SegmentOf of, Job segment) {
        boolean[] joins = {false};
        Instant now = clock.instant();
        Job written = jobs.update(parent, p -> {
            joins[0] = false;
            if (p.status().isTerminal()) {
                return p;
            }
            Job recorded = p.withSegments(Segments.withItem(p, of.index(), segment.jobId(), of.attempt(), JobStatus.SUCCEEDED), now);
            recorded = recorded.withProgress(Segments.progress(recorded), now);
            if (p.status() == JobStatus.RENDERING_SEGMENTS && Segments.allSucceeded(recorded)) {
                joins[0] = true;
                return recorded.moveTo(JobStatus.JOINING, now, "all " + Segments.count(p) + " segments generated");
            }
            return recorded;
        });
        if (!joins[0]) {
            return Effect.RECORDED;
        }
        startJoin(written);
        return Effect.JOIN_STARTED;
    }

    private Effect failed(Job parent, Segments.SegmentOf of, Segments.Item item, Job segment) {
        String reason = segment.error() == null ? segment.status().name() : segment.error().code() + ": " + segment.error().message();
        Instant now = clock.instant();
        if (item.mayRetryAutomatically() && segment.status() != JobStatus.CANCELED) {
            String retryId = Segments.jobId(of.parent(), of.index(), of.attempt() + 1);
            Job retry = Segments.segmentJob(parent, of.index(), of.attempt() + 1, segment.source().bucket(), sizeOf(segment));
            // the parent names the retry first: a crash between the two writes leaves a name the sweep can queue
            jobs.update(parent, p -> p.status().isTerminal() ? p
                    : p.withSegments(Segments.withItem(p, of.index(), retryId, of.attempt() + 1, JobStatus.WAITING_FOR_SLOT), now));
            starter.start(retry);
            LOG.warn("segment {} of {} ({}) failed ({}); generated again with the same seed as {}", of.index() + 1, of.count(),
                    segment.jobId(), reason, retryId);
            return Effect.RETRIED;
        }
        Job.JobError error = new Job.JobError("SEGMENT_FAILED", "segment " + (of.index() + 1) + " of " + of.count() + " ("
                + segment.jobId() + ") " + (segment.status() == JobStatus.CANCELED ? "was canceled"
                : "failed " + (of.attempt() - item.roundFrom() + 1) + " times") + ": " + reason,
                "its other segments are taken out of the queue; the segment's record holds Scenario's answer", of.index() + 1);
        Job failedParent = jobs.update(parent, p -> p.status().isTerminal() ? p
                : p.withSegments(Segments.withItem(p, of.index(), segment.jobId(), of.attempt(), segment.status()), now)
                        .withError(error, now).moveTo(JobStatus.FAILED, now, "SEGMENT_FAILED"));
        List<String> dequeued = dequeueWaiting(failedParent, "its parent failed: segment " + (of.index() + 1) + " failed");
        LOG.warn("parent {} failed: {}; segments taken out of the queue: {}", parent.jobId(), error.message(), dequeued);
        return Effect.PARENT_FAILED;
    }

    /**
     * Whether {@code parent} ended FAILED with SEGMENT_FAILED because {@code segment} failed, not another segment that
     * failed after it: its error's {@code segment} is this one's number and the parent's item still names this job. A
     * record written before the error had its {@code segment} (a data dir of the local runtime, a deployed table, until
     * the records expire) is read from the message's wording as {@link #segmentEnded} wrote it: " (jobId) ".
     */
    public static boolean failedBy(Job parent, Job segment) {
        if (parent.status() != JobStatus.FAILED || parent.error() == null || !"SEGMENT_FAILED".equals(parent.error().code())) {
            return false;
        }
        Integer number = parent.error().segment();
        if (number == null) {
            return parent.error().message() != null && parent.error().message().contains(" (" + segment.jobId() + ") ");
        }
        Optional<Segments.SegmentOf> of = Segments.segmentOf(segment);
        List<Segments.Item> items = Segments.items(parent);
        return of.isPresent() && Segments.isParent(parent) && of.get().index() + 1 == number && number <= items.size()
                && items.get(number - 1).jobId().equals(segment.jobId());
    }

    /** The parent's segments still waiting in the queue, CANCELED with {@code why}; running ones go on (Scenario bills them anyway). */
    public List<String> dequeueWaiting(Job parent, String why) {
        List<String> dequeued = new ArrayList<>();
        for (Segments.Item item : Segments.items(parent)) {
            Job after = jobs.find(item.jobId()).map(s -> jobs.update(s, j -> j.status().isWaiting() || j.status() == JobStatus.QUEUED
                    ? j.withError(new Job.JobError("PARENT_ENDED", why, null), clock.instant()).moveTo(JobStatus.CANCELED, clock.instant(), why)
                    : j)).orElse(null);
            if (after != null && after.status() == JobStatus.CANCELED) {
                dequeued.add(item.jobId());
            }
        }
        return dequeued;
    }

    /**
     * The sweep's repair of a parent RENDERING_SEGMENTS: each segment's end is recorded again from its job's record
     * (idempotent), and a retry named but never queued is queued. A fan-in lost to a crash between a segment's end
     * and its parent's write is so made good; the join starts then, once.
     */
    public List<String> heal(Job parent) {
        List<String> healed = new ArrayList<>();
        if (parent.status() != JobStatus.RENDERING_SEGMENTS) {
            return healed;
        }
        for (Segments.Item item : Segments.items(parent)) {
            Optional<Job> segment = jobs.find(item.jobId());
            if (segment.isEmpty()) {
                queueLostRetry(parent, item);
                healed.add(item.jobId());
            } else if (segment.get().status().isTerminal() && segment.get().status() != item.status()) {
                if (segmentEnded(segment.get()) == Effect.PARENT_FAILED) {
                    notifyFailed(parent.jobId());
                }
                healed.add(item.jobId());
            }
        }
        Job now = jobs.get(parent.jobId());
        if (now.status() == JobStatus.RENDERING_SEGMENTS && Segments.allSucceeded(now)) {
            // every end recorded, yet no write moved it on (a crash between the two): move it and start the join now
            Job joining = jobs.update(now, p -> p.status() == JobStatus.RENDERING_SEGMENTS
                    ? p.moveTo(JobStatus.JOINING, clock.instant(), "all segments generated (found by the sweep)") : p);
            if (joining.status() == JobStatus.JOINING) {
                startJoin(joining);
                healed.add(parent.jobId());
            }
        }
        return healed;
    }

    /**
     * The notice of a parent {@link #heal} failed, once, as the segment's Notify step would have sent it. A delivery that
     * fails is logged, not retried (the state machine's Notify retries with backoff; the sweep does not come back to an
     * ended parent): the record is the truth, and GET /jobs/{id} tells it.
     */
    private void notifyFailed(String parentId) {
        Job failed = jobs.get(parentId);
        if (failed.status() != JobStatus.FAILED) {
            return;
        }
        try {
            notices.accept(failed);
            LOG.info("parent {} failed by the sweep's repair: its notice sent", parentId);
        } catch (RuntimeException e) {
            LOG.error("parent {} failed by the sweep's repair: its notice not sent: {}", parentId, e.toString());
        }
    }

    /** A segment's job named in the parent but never created (a crash between the two writes): created and queued now. */
    private void queueLostRetry(Job parent, Segments.Item item) {
        Job first = jobs.find(Segments.jobId(parent.jobId(), item.index(), 1)).orElse(null);
        String bucket = first != null ? first.source().bucket() : parent.source().bucket();
        starter.start(Segments.segmentJob(parent, item.index(), item.attempt(), bucket, first == null ? null : sizeOf(first)));
    }

    private static Long sizeOf(Job segment) {
        return segment.source() == null ? null : segment.source().size();
    }

    /** A new execution for the parent, recorded before it starts (as the sweep resumes one): it joins the segments. */
    void startJoin(Job parent) {
        if (executions == null) {
            throw new IllegalStateException("no state machine to start the join of " + parent.jobId() + " in (STATE_MACHINE_ARN)");
        }
        String name = ExecutionNames.next(parent);
        jobs.update(parent, p -> p.withExecutionArn(executions.arnOf(name)));
        executions.start(name, parent.jobId());
        LOG.info("parent {}: every segment generated; its join runs in {}", parent.jobId(), name);
    }
}
