package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.json.Json;
import io.outpaint.notify.Notifier;
import io.outpaint.notify.WebhookPolicy;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import io.outpaint.store.EndCountingJobStore;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * What a long clip's listeners are told when a user's segment retry joins it again: a second notice, naming the retry
 * and the new output, under a notice id of its own; and a second end that the metrics count as a re-join, not as a
 * second job. A clip a segment failed is notified by that segment's Notify (no execution of its own runs then), or by
 * the sweep when its repair of a lost fan-in fails the clip. The job's writes go through the end-counting store, as in the functions, with the metric each end picks.
 */
class NotifyTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final Clock clock = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);
    private final List<String> counted = Collections.synchronizedList(new ArrayList<>());
    private final EndCountingJobStore jobs = new EndCountingJobStore(new InMemoryJobStore(), j -> counted.add(JobMetrics.endMetric(j)));
    private final RecordingEvents events = new RecordingEvents();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final JobStarter starter = new JobStarter(jobs, new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock)), clock);
    private final SegmentFanIn fanIn = new SegmentFanIn(jobs, executions, starter, clock);
    private final Notify notify = new Notify(jobs,
            new Notifier("s", Optional.of("jobs-bus"), clock, WebhookPolicy.Resolver.SYSTEM, () -> events), WebhookPolicy.STRICT);

    /** Keeps the details it was sent. */
    private static final class RecordingEvents implements EventBridgeClient {
        final List<String> details = new ArrayList<>();

        @Override
        public PutEventsResponse putEvents(PutEventsRequest request) {
            request.entries().forEach(e -> details.add(e.detail()));
            return PutEventsResponse.builder().failedEntryCount(0).entries(PutEventsResultEntry.builder().eventId("e").build()).build();
        }

        @Override
        public String serviceName() {
            return "events";
        }

        @Override
        public void close() {}
    }

    @Test
    void aClipJoinedAgainIsNotifiedAgainWithTheRetryAndTheNewOutputUnderANoticeIdOfItsOwnAndCountedAsARejoin() throws Exception {
        Job parent = joined(rendering("clip", 3), "aaaa");
        StepState first = notify.run(StepState.of("clip"));
        assertThat(first.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
        JsonNode once = onlyNotice(0);
        assertThat(once.path("noticeId").asText()).isEqualTo("clip.1");
        assertThat(once.has("segmentRetry")).as("a first end follows no retry").isFalse();
        assertThat(once.path("outputs").get(0).path("sha256").asText()).isEqualTo("aaaa");

        long planSeed = Segments.seedOf(parent, 1);
        Job reopened = retry(parent, 1, 4242);
        assertThat(reopened.status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        // the first end's notice retried after the reopen: nothing is sent of a job that runs again
        assertThat(notify.run(StepState.of("clip")).outcome()).isEqualTo(StepOutcome.OWNED_BY_ANOTHER_EXECUTION);
        assertThat(events.details).hasSize(1);

        joined(reopened, "bbbb");
        assertThat(notify.run(StepState.of("clip")).outcome()).isEqualTo(StepOutcome.SUCCEEDED);
        assertThat(events.details).hasSize(2);
        JsonNode again = onlyNotice(1);
        assertThat(again.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(again.path("noticeId").asText()).isEqualTo("clip.2").isNotEqualTo(once.path("noticeId").asText());
        JsonNode retry = again.path("segmentRetry");
        assertThat(retry.path("segment").asInt()).isEqualTo(2);
        assertThat(retry.path("jobId").asText()).isEqualTo(Segments.jobId("clip", 1, 2));
        assertThat(retry.path("previousJobId").asText()).isEqualTo(Segments.jobId("clip", 1, 1));
        assertThat(retry.path("previousSeed").asLong()).isEqualTo(planSeed);
        assertThat(retry.path("seed").asLong()).isEqualTo(4242);
        assertThat(retry.path("at").asText()).isEqualTo(clock.instant().toString());
        assertThat(again.path("outputs").get(0).path("key").asText()).isEqualTo(once.path("outputs").get(0).path("key").asText());
        assertThat(again.path("outputs").get(0).path("sha256").asText()).isEqualTo("bbbb");
        assertThat(again.path("history").findValuesAsText("status")).containsSubsequence("SUCCEEDED", "RENDERING_SEGMENTS", "JOINING",
                "SUCCEEDED");

        assertThat(counted).containsExactly("JobSUCCEEDED", "RejoinSUCCEEDED");
    }

    @Test
    void aClipFailedByASegmentIsNotifiedByThatSegmentsNotifyThenJoinedAfterItsRetryAsOneJobFailedAndOneRejoinSucceeded()
            throws Exception {
        Job parent = rendering("failing", 2);
        for (Segments.Item item : Segments.items(parent)) {
            starter.start(Segments.segmentJob(parent, item.index(), 1, "bucket", 100L));
        }
        Job first = failed(Segments.jobId("failing", 0, 1));
        assertThat(fanIn.segmentEnded(first)).isEqualTo(SegmentFanIn.Effect.RETRIED);
        notify.run(StepState.of(first.jobId()));
        assertThat(events.details).as("the segment's own notice; its clip goes on").hasSize(1);
        assertThat(onlyNotice(0).path("jobId").asText()).isEqualTo(first.jobId());

        Job second = failed(Segments.jobId("failing", 0, 2));
        assertThat(fanIn.segmentEnded(second)).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        assertThat(notify.run(StepState.of(second.jobId())).outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(events.details).as("the segment's notice, then its clip's").hasSize(3);
        JsonNode clipFailed = onlyNotice(2);
        assertThat(clipFailed.path("jobId").asText()).isEqualTo("failing");
        assertThat(clipFailed.path("status").asText()).isEqualTo("FAILED");
        assertThat(clipFailed.path("error").path("code").asText()).isEqualTo("SEGMENT_FAILED");
        assertThat(clipFailed.path("noticeId").asText()).isEqualTo("failing.1");
        // the other segment's job, taken out of the queue by the failure, is not what failed the clip: no second notice of it
        Job other = jobs.get(Segments.jobId("failing", 1, 1));
        assertThat(other.status()).isEqualTo(JobStatus.CANCELED);
        notify.run(StepState.of(other.jobId()));
        assertThat(events.details).hasSize(4);
        assertThat(onlyNotice(3).path("jobId").asText()).isEqualTo(other.jobId());

        joined(retry(jobs.get("failing"), 0, 7), "cccc");
        notify.run(StepState.of("failing"));
        JsonNode again = onlyNotice(4);
        assertThat(again.path("noticeId").asText()).isEqualTo("failing.2");
        assertThat(again.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(again.has("error")).as("the retry cleared the failure").isFalse();
        assertThat(again.path("segmentRetry").path("segment").asInt()).isEqualTo(1);
        assertThat(again.path("segmentRetry").path("previousJobId").asText()).isEqualTo(second.jobId());
        assertThat(again.path("segmentRetry").path("jobId").asText()).isEqualTo(Segments.jobId("failing", 0, 3));
        assertThat(counted).filteredOn(m -> !m.equals("JobCANCELED")).containsExactly("JobFAILED", "JobFAILED", "JobFAILED",
                "RejoinSUCCEEDED"); // two segment jobs, the clip; then the clip's re-join
    }

    @Test
    void aClipTheSweepsRepairFailsIsNotifiedByTheSweepAsTheFailingSegmentsNotifyWouldHave() throws Exception {
        Job parent = rendering("swept", 2);
        for (Segments.Item item : Segments.items(parent)) {
            starter.start(Segments.segmentJob(parent, item.index(), 1, "bucket", 100L));
        }
        assertThat(fanIn.segmentEnded(failed(Segments.jobId("swept", 1, 1)))).isEqualTo(SegmentFanIn.Effect.RETRIED);
        // the second attempt fails, and its end never reaches the parent (a crash between the writes): no execution is left
        // to fail the clip or to send its notice
        Job second = failed(Segments.jobId("swept", 1, 2));
        assertThat(jobs.get("swept").status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        Admission admission = new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock));

        Sweep.Report report = new Sweep(jobs, slots, executions, new Reconcile(jobs, admission, clock), admission, 1)
                .withFanIn(new SegmentFanIn(jobs, executions, starter, clock).withNotices(notify::send)).run();

        assertThat(report.resumed()).contains(second.jobId());
        assertThat(jobs.get("swept").status()).isEqualTo(JobStatus.FAILED);
        assertThat(events.details).as("the clip's notice, sent once by the sweep").hasSize(1);
        JsonNode notice = onlyNotice(0);
        assertThat(notice.path("jobId").asText()).isEqualTo("swept");
        assertThat(notice.path("status").asText()).isEqualTo("FAILED");
        assertThat(notice.path("noticeId").asText()).isEqualTo("swept.1");
        assertThat(notice.path("error").path("code").asText()).isEqualTo("SEGMENT_FAILED");
        assertThat(notice.path("error").path("segment").asInt()).isEqualTo(2);
        // the next sweep finds the clip ended: nothing more is sent
        new Sweep(jobs, slots, executions, new Reconcile(jobs, admission, clock), admission, 1)
                .withFanIn(new SegmentFanIn(jobs, executions, starter, clock).withNotices(notify::send)).run();
        assertThat(events.details).hasSize(1);
    }

    @Test
    void aNoticeTheSweepCannotDeliverIsLoggedAndTheRepairStands() {
        Job parent = rendering("undelivered", 2);
        for (Segments.Item item : Segments.items(parent)) {
            starter.start(Segments.segmentJob(parent, item.index(), 1, "bucket", 100L));
        }
        fanIn.segmentEnded(failed(Segments.jobId("undelivered", 0, 1)));
        failed(Segments.jobId("undelivered", 0, 2));
        List<String> tried = new ArrayList<>();
        SegmentFanIn failing = new SegmentFanIn(jobs, executions, starter, clock).withNotices(j -> {
            tried.add(j.jobId());
            throw new io.outpaint.notify.WebhookDeliveryException("the webhook could not be reached", null);
        });

        assertThat(failing.heal(jobs.get("undelivered"))).contains(Segments.jobId("undelivered", 0, 2));

        assertThat(tried).containsExactly("undelivered");
        assertThat(jobs.get("undelivered").status()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.get(Segments.jobId("undelivered", 1, 1)).status()).as("taken out of the queue").isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aJobOfOneGenerationIsCountedAndNotifiedAsBefore() throws Exception {
        Job job = Job.queued("one", JsonNodeFactory.instance.objectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/one.mp4", null, null, 1L, "video/mp4"), null, null, T0, 1);
        jobs.create(job);
        jobs.update("one", j -> j.moveTo(JobStatus.RUNNING, T0, null).moveTo(JobStatus.SUCCEEDED, T0, null));
        notify.run(StepState.of("one"));
        assertThat(onlyNotice(0).path("noticeId").asText()).isEqualTo("one.1");
        assertThat(onlyNotice(0).has("segmentRetry")).isFalse();
        assertThat(counted).containsExactly("JobSUCCEEDED");
    }

    private Job failed(String jobId) {
        return jobs.update(jobId, j -> j.moveTo(JobStatus.RUNNING, T0, null).withError(new Job.JobError("SCENARIO_JOB_FAILED",
                "out of capacity", null), T0).moveTo(JobStatus.FAILED, T0, "SCENARIO_JOB_FAILED"));
    }

    private JsonNode onlyNotice(int index) throws Exception {
        return Json.MAPPER.readTree(events.details.get(index));
    }

    /** A split parent RENDERING_SEGMENTS, on record. */
    private Job rendering(String id, int count) {
        SegmentPlan plan = SegmentPlanner.plan(count * 200L, 16, 16, SegmentRules.model(8), List.of(), 42);
        assertThat(plan.count()).isEqualTo(count);
        Job parent = Job.queued(id, JsonNodeFactory.instance.objectNode().put("prompt", "a street"),
                new Job.Source("s3", "bucket", "inputs/" + id + ".mp4", null, null, 1L, "video/mp4"), null, null, T0, 1)
                .withSegments(Segments.planned(plan), T0);
        List<String> ids = plan.segments().stream().map(s -> Segments.jobId(id, s.index(), 1)).toList();
        jobs.create(parent.moveTo(JobStatus.SPLITTING, T0, null).withSegments(Segments.split(Segments.planned(plan), ids), T0)
                .moveTo(JobStatus.RENDERING_SEGMENTS, T0, null));
        return jobs.get(id);
    }

    /** Every segment succeeded, the clip joined into one output (its sha256 {@code sha}) and SUCCEEDED. */
    private Job joined(Job parent, String sha) {
        return jobs.update(parent, p -> {
            Job q = p;
            for (Segments.Item item : Segments.items(q)) {
                q = q.withSegments(Segments.withItem(q, item.index(), item.jobId(), item.attempt(), JobStatus.SUCCEEDED), T0);
            }
            return q.moveTo(JobStatus.JOINING, T0, null).withOutputs(List.of(new Job.Output(null, "bucket",
                    "outputs/" + p.jobId() + "/outpaint.mp4", 100, sha, "video/mp4", 640, 360, 40.0)), T0)
                    .moveTo(JobStatus.SUCCEEDED, T0, null);
        });
    }

    /** A user's retry of segment {@code index} with {@code seed}, as SegmentRetry writes it. */
    private Job retry(Job parent, int index, long seed) {
        return jobs.update(parent, p -> {
            Job q = p.withSegments(Segments.retried(p, index, Segments.items(p).get(index).attempt() + 1, seed, clock.instant(), null),
                    clock.instant());
            return q.reopenForSegmentRetry(clock.instant(), "segment " + (index + 1) + " generated again", Segments.progress(q));
        });
    }
}
