package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-in of a parent's segments on the in-memory store: the join starts once, from the end of the last segment,
 * however the ends interleave; a failed segment is queued again once at the parent's place with the same seed; a
 * second failure fails the parent, naming the segment, and takes its waiting segments out of the queue; the sweep's
 * repair records an end that never reached the parent, and queues a second attempt that was named but never created.
 */
class SegmentFanInTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final Admission admission = new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock));
    private final SegmentFanIn fanIn = new SegmentFanIn(jobs, executions, new JobStarter(jobs, admission, clock), clock);
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void theLastSegmentToSucceedStartsTheJoinExactlyOnceWhenAllEndAtOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            Job parent = splitParent("race-" + round, 6);
            List<Job> segments = Segments.jobIds(parent).stream().map(id -> succeeded(jobs.get(id))).toList();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SegmentFanIn.Effect>> ends = new ArrayList<>();
            for (Job segment : segments) {
                ends.add(pool.submit(() -> {
                    go.await();
                    return fanIn.segmentEnded(segment);
                }));
            }
            go.countDown();
            List<SegmentFanIn.Effect> effects = new ArrayList<>();
            for (Future<SegmentFanIn.Effect> end : ends) {
                effects.add(end.get());
            }
            assertThat(effects).filteredOn(e -> e == SegmentFanIn.Effect.JOIN_STARTED).hasSize(1);
            Job joined = jobs.get(parent.jobId());
            assertThat(joined.status()).isEqualTo(JobStatus.JOINING);
            assertThat(joined.segments().path("succeeded").asInt()).isEqualTo(6);
            assertThat(executions.started()).filteredOn(parent.jobId()::equals).hasSize(1);
            // a repeated end (a retried CopyResults) changes nothing and starts nothing
            assertThat(fanIn.segmentEnded(segments.get(0))).isEqualTo(SegmentFanIn.Effect.RECORDED);
            assertThat(executions.started()).filteredOn(parent.jobId()::equals).hasSize(1);
        }
    }

    @Test
    void aSegmentThatFailsIsQueuedAgainAtTheParentsPlaceWithTheSameSeedThenASecondFailureFailsTheParent() {
        Job parent = splitParent("flaky", 3);
        Job later = Job.queued("later", request(), null, null, null, T0.plusSeconds(1), 1);
        jobs.create(later.moveTo(JobStatus.WAITING_FOR_SLOT, later.createdAt(), null));
        Job first = failed(jobs.get(Segments.jobId("flaky", 0, 1)), "SCENARIO_JOB_FAILED", "out of capacity");

        assertThat(fanIn.segmentEnded(first)).isEqualTo(SegmentFanIn.Effect.RETRIED);
        Job retry = jobs.get(Segments.jobId("flaky", 0, 2));
        assertThat(retry.status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(retry.request().path("seed")).isEqualTo(first.request().path("seed"));
        assertThat(Segments.segmentOf(retry)).hasValueSatisfying(of -> assertThat(of.attempt()).isEqualTo(2));
        assertThat(Segments.items(jobs.get("flaky")).get(0).jobId()).isEqualTo(retry.jobId());
        // at the parent's place: ahead of a job created after the parent, right before the parent's next segment
        assertThat(jobs.waiting(10)).extracting(Job::jobId).containsSubsequence(retry.jobId(), Segments.jobId("flaky", 1, 1), "later");

        Job again = failed(jobs.get(retry.jobId()), "SCENARIO_JOB_FAILED", "out of capacity again");
        assertThat(fanIn.segmentEnded(again)).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        Job failedParent = jobs.get("flaky");
        assertThat(failedParent.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failedParent.error().code()).isEqualTo("SEGMENT_FAILED");
        assertThat(failedParent.error().message()).startsWith("segment 1 of 3 (flaky-s001-a2) failed 2 times: SCENARIO_JOB_FAILED");
        assertThat(jobs.get(Segments.jobId("flaky", 1, 1)).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(jobs.get(Segments.jobId("flaky", 2, 1)).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(jobs.waiting(10)).extracting(Job::jobId).containsExactly("later");
        // the first attempt's end, seen late, is not the segment the parent follows
        assertThat(fanIn.segmentEnded(first)).isEqualTo(SegmentFanIn.Effect.NONE);
    }

    @Test
    void theParentsErrorNamesTheSegmentThatFailedItInAFieldWhichDecidesWhichSegmentFailedIt() {
        splitParent("named", 3);
        Job first = failed(jobs.get(Segments.jobId("named", 1, 1)), "SCENARIO_JOB_FAILED", "out of capacity");
        fanIn.segmentEnded(first);
        Job second = failed(jobs.get(Segments.jobId("named", 1, 2)), "SCENARIO_JOB_FAILED", "out of capacity again");
        assertThat(fanIn.segmentEnded(second)).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        Job parent = jobs.get("named");
        assertThat(parent.error().segment()).isEqualTo(2);
        assertThat(io.outpaint.job.JobDocument.tree(parent.error()).path("segment").asInt()).isEqualTo(2);
        assertThat(SegmentFanIn.failedBy(parent, second)).isTrue();
        assertThat(SegmentFanIn.failedBy(parent, first)).as("its first attempt").isFalse();
        assertThat(SegmentFanIn.failedBy(parent, jobs.get(Segments.jobId("named", 0, 1)))).as("another segment").isFalse();

        // the field decides, not the message's wording
        Job reworded = jobs.update("named", p -> p.withError(new Job.JobError("SEGMENT_FAILED", "the clip's second segment failed",
                null, 2), T0));
        assertThat(SegmentFanIn.failedBy(reworded, second)).isTrue();
        Job otherNamed = jobs.update("named", p -> p.withError(new Job.JobError("SEGMENT_FAILED", parent.error().message(), null, 3), T0));
        assertThat(SegmentFanIn.failedBy(otherNamed, second)).as("the field names segment 3, whatever the message says").isFalse();
        // a record written before the field: its message's wording, as the fan-in wrote it, is all there is
        Job older = jobs.update("named", p -> p.withError(new Job.JobError("SEGMENT_FAILED", parent.error().message(), null), T0));
        assertThat(SegmentFanIn.failedBy(older, second)).isTrue();
        assertThat(SegmentFanIn.failedBy(older, first)).isFalse();
    }

    @Test
    void theSweepRecordsAnEndThatNeverReachedTheParentAndStartsTheJoin() {
        Job parent = splitParent("lost", 2);
        fanIn.segmentEnded(succeeded(jobs.get(Segments.jobId("lost", 0, 1))));
        succeeded(jobs.get(Segments.jobId("lost", 1, 1))); // its end never reached the parent (a crash between the writes)
        assertThat(jobs.get("lost").status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);

        assertThat(fanIn.heal(jobs.get("lost"))).contains(Segments.jobId("lost", 1, 1));
        assertThat(jobs.get("lost").status()).isEqualTo(JobStatus.JOINING);
        assertThat(executions.started()).filteredOn("lost"::equals).hasSize(1);
        assertThat(fanIn.heal(jobs.get("lost"))).as("a parent joining is left to its execution").isEmpty();
        assertThat(parent.jobId()).isEqualTo("lost");
    }

    @Test
    void theSweepQueuesASecondAttemptThatWasNamedButNeverCreated() {
        splitParent("named", 2);
        jobs.update("named", p -> p.withSegments(Segments.withItem(p, 1, Segments.jobId("named", 1, 2), 2, JobStatus.WAITING_FOR_SLOT),
                clock.instant()));
        assertThat(jobs.find(Segments.jobId("named", 1, 2))).isEmpty();
        fanIn.heal(jobs.get("named"));
        Job created = jobs.get(Segments.jobId("named", 1, 2));
        assertThat(created.status().isWaiting() || created.status().isInFlight()).as(created.status().name()).isTrue();
        assertThat(Segments.segmentOf(created)).hasValueSatisfying(of -> assertThat(of.index()).isEqualTo(1));
    }

    @Test
    void segmentIdsStayWithinTheLongestJobIdAndAreDistinctPerIndexAndAttempt() {
        String longest = "a".repeat(80);
        assertThat(Segments.jobId(longest, 0, 1)).hasSizeLessThanOrEqualTo(76).matches(io.outpaint.job.JobIds.PATTERN);
        assertThat(Segments.jobId(longest, 0, 1)).isNotEqualTo(Segments.jobId(longest, 0, 2)).isNotEqualTo(Segments.jobId(longest, 1, 1));
        assertThat(Segments.jobId("api-x", 11, 2)).isEqualTo("api-x-s012-a2");
        assertThat(Segments.isInputKey(Segments.inputKey("api-x", 0))).isTrue();
        // each round finished into pieces of its own: a segment generated again, and its neighbours, never reuse the
        // pieces made with the generation before
        java.util.function.IntFunction<Segments.Item> first = i -> new Segments.Item(i, "api-x-s00" + (i + 1), 1, JobStatus.SUCCEEDED, null, 1);
        List<Segments.Item> firstRound = List.of(first.apply(0), first.apply(1), first.apply(2), first.apply(3));
        List<Segments.Item> secondOf3 = List.of(first.apply(0), first.apply(1), new Segments.Item(2, "api-x-s003-a2", 2, JobStatus.SUCCEEDED, null, 2),
                first.apply(3));
        assertThat(Segments.pieceKey("api-x", firstRound, 1, "body", "")).isEqualTo("work/api-x/pieces/002-body");
        assertThat(Segments.pieceKey("api-x", secondOf3, 1, "tail", "")).isEqualTo("work/api-x/pieces/002-a1.1.2-tail");
        assertThat(Segments.pieceKey("api-x", secondOf3, 2, "body", "")).isEqualTo("work/api-x/pieces/003-a1.2.1-body");
        assertThat(Segments.pieceKey("api-x", secondOf3, 3, "head", "")).isEqualTo("work/api-x/pieces/004-a2.1.1-head");
        assertThat(Segments.pieceKey("api-x", secondOf3, 0, "body", "")).as("two away: kept").isEqualTo("work/api-x/pieces/001-body");
        assertThat(Segments.isInputKey("work/api-x/segments/../../inputs/a.mp4")).isFalse();
    }

    /** A parent split into {@code count} segments, each queued as the Split step queues them. */
    @Test
    void aSweepBetweenASegmentsFailureAndItsRecordKeepsTheSlotForItsSecondAttempt() {
        // RecordFailure writes the segment FAILED, then records it in the parent (queueing its second attempt), then
        // gives the slot back: a sweep in between must not give the slot to the parent's next segment
        Job parent = splitParent("between", 3);
        admission.dispatch();
        String first = Segments.jobId("between", 0, 1);
        assertThat(slots.holders()).containsExactly(first);
        failed(jobs.get(first), "SCENARIO_JOB_FAILED", "out of capacity");
        Reconcile reconcile = new Reconcile(jobs, admission, clock);
        Sweep.Report report = new Sweep(jobs, slots, executions, reconcile, admission, 1).run();
        assertThat(report.slotsFreed()).isEmpty();
        assertThat(slots.holders()).containsExactly(first);
        assertThat(executions.started()).doesNotContain(Segments.jobId("between", 1, 1));

        assertThat(fanIn.segmentEnded(jobs.get(first))).isEqualTo(SegmentFanIn.Effect.RETRIED);
        admission.release(first);
        assertThat(slots.holders()).containsExactly(Segments.jobId("between", 0, 2));
        // once recorded, a sweep frees a failed segment's slot as any ended job's (none is left here)
        assertThat(new Sweep(jobs, slots, executions, reconcile, admission, 1).run().slotsFreed()).isEmpty();
        assertThat(jobs.get(parent.jobId()).status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
    }

    @Test
    void aSweepWithTheFanInRecordsAFailureThatNeverReachedTheParentAndItsSecondAttemptTakesTheSlot() {
        splitParent("lost-end", 3);
        admission.dispatch();
        String first = Segments.jobId("lost-end", 0, 1);
        failed(jobs.get(first), "SCENARIO_JOB_FAILED", "out of capacity");
        Sweep.Report report = new Sweep(jobs, slots, executions, new Reconcile(jobs, admission, clock), admission, 1).withFanIn(fanIn).run();
        assertThat(report.slotsFreed()).containsExactly(first);
        assertThat(slots.holders()).containsExactly(Segments.jobId("lost-end", 0, 2));
    }

    private Job splitParent(String id, int count) {
        SegmentPlan plan = SegmentPlanner.plan(count * 200L, 16, 16, SegmentRules.model(8), List.of(), 42);
        assertThat(plan.count()).isEqualTo(count);
        Job parent = Job.queued(id, request(), new Job.Source("s3", "bucket", "inputs/" + id + ".mp4", null, null, 1L, "video/mp4"),
                null, null, T0, 1).withSegments(Segments.planned(plan), T0);
        List<String> ids = plan.segments().stream().map(s -> Segments.jobId(id, s.index(), 1)).toList();
        Job split = parent.moveTo(JobStatus.SPLITTING, T0, null).withSegments(Segments.split(Segments.planned(plan), ids), T0)
                .moveTo(JobStatus.RENDERING_SEGMENTS, T0, null);
        jobs.create(split);
        JobStarter starter = new JobStarter(jobs, admission, clock);
        for (SegmentPlan.Segment s : plan.segments()) {
            starter.start(Segments.segmentJob(split, s.index(), 1, "bucket", 100L));
        }
        return split;
    }

    private Job succeeded(Job segment) {
        return jobs.update(segment.jobId(), j -> j.status().isTerminal() ? j : j.moveTo(JobStatus.SUCCEEDED, clock.instant(), null));
    }

    private Job failed(Job segment, String code, String message) {
        return jobs.update(segment.jobId(), j -> j.withError(new Job.JobError(code, message, null), clock.instant())
                .moveTo(JobStatus.FAILED, clock.instant(), code));
    }

    private static ObjectNode request() {
        return JsonNodeFactory.instance.objectNode().put("prompt", "a street");
    }
}
