package io.outpaint.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.config.PipelineConfig;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.media.InputVideos;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.SegmentFanIn;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.testing.FakeExecutions;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code POST /jobs/{id}/segments/{n}/retry} on the in-memory store: each refusal names its field or the job's status
 * and changes nothing; a retry records itself in the parent, queues one new job for that segment only (a new seed,
 * the next attempt), keeps the parent's outputs, and the fan-in starts the join again when that job succeeds.
 */
class SegmentRetryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final long PLAN_SEED = 42;

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final Clock clock = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);
    private final FakeExecutions executions = new FakeExecutions();
    private final Bucket bucket = new Bucket();
    private final PipelineServices services = new PipelineServices(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t",
            "BUCKET_NAME", "bucket", "MAX_JOBS_IN_FLIGHT", "5")), clock, null, jobs, new io.outpaint.store.InMemorySlotLimiter(),
            new io.outpaint.store.InMemoryJobDurations(), executions, new InputVideos(bucket), null, null, null, null);
    private final JobsApi api = new JobsApi(services, SegmentRetryApiTest::presigner);

    @Test
    void anUnknownJobIsNotFound() {
        ApiError e = refused(() -> api.retrySegment("api-nope", "1", null, Optional.empty()));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).contains("api-nope");
    }

    @Test
    void aJobOfOneGenerationIsNotAParentAndASegmentPointsToItsParent() {
        Job single = Job.queued("api-one", request(), source("api-one"), null, null, T0, 1);
        jobs.create(single);
        ApiError e = refused(() -> api.retrySegment("api-one", "1", null, Optional.empty()));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("NOT_SEGMENTED");
        assertThat(e.fields()).extracting(f -> f.field()).containsExactly("id");

        Job parent = succeededParent("api-p", 3);
        ApiError segment = refused(() -> api.retrySegment(Segments.jobIds(parent).get(1), "1", null, Optional.empty()));
        assertThat(segment.status()).isEqualTo(400);
        assertThat(segment.getMessage()).contains("segment 2 of job api-p", "POST /jobs/api-p/segments/2/retry");
    }

    @Test
    void aSegmentNumberOutsideOneToTheCountIsRefusedNamingNAndItsRange() {
        Job parent = succeededParent("api-p", 3);
        for (String n : List.of("0", "4", "-1", "x", "2.0", "99999999999")) {
            ApiError e = refused(() -> api.retrySegment("api-p", n, null, Optional.empty()));
            assertThat(e.status()).as(n).isEqualTo(400);
            assertThat(e.fields()).as(n).extracting(f -> f.field()).containsExactly("n");
            assertThat(e.getMessage()).as(n).contains("from 1 to 3");
        }
        assertThat(jobs.get("api-p")).isEqualTo(parent);
    }

    @Test
    void aParentNotEndedOrEndedOtherwiseIsAConflictNamingItsStatus() {
        Job rendering = splitParent("api-r", 3);
        ApiError e = refused(() -> api.retrySegment("api-r", "2", null, Optional.empty()));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("NOT_RETRYABLE");
        assertThat(e.getMessage()).contains("is RENDERING_SEGMENTS", "SUCCEEDED", "SEGMENT_FAILED");
        assertThat(jobs.get("api-r")).isEqualTo(rendering);

        splitParent("api-c", 3);
        jobs.update("api-c", j -> j.moveTo(JobStatus.CANCELED, T0, null));
        assertThat(refused(() -> api.retrySegment("api-c", "1", null, Optional.empty())).getMessage()).contains("is CANCELED");

        splitParent("api-f", 3);
        jobs.update("api-f", j -> j.moveTo(JobStatus.JOINING, T0, null)
                .withError(new Job.JobError("FINISH_FAILED", "ffmpeg", null), T0).moveTo(JobStatus.FAILED, T0, null));
        ApiError finish = refused(() -> api.retrySegment("api-f", "1", null, Optional.empty()));
        assertThat(finish.status()).isEqualTo(409);
        assertThat(finish.getMessage()).contains("is FAILED (FINISH_FAILED)");
        assertThat(jobs.list(Optional.empty(), 100, Optional.empty()).jobs()).extracting(Job::jobId)
                .noneMatch(id -> id.endsWith("-a2"));
    }

    @Test
    void aBadSeedOrAnUnknownFieldIsRefusedNamingTheField() throws Exception {
        Job parent = succeededParent("api-p", 3);
        for (String body : List.of("{\"seed\": -1}", "{\"seed\": \"7\"}", "{\"seed\": 1.5}", "{\"seed\": 9007199254740992}",
                "{\"seed\": " + PLAN_SEED + "}")) {
            ApiError e = refused(() -> api.retrySegment("api-p", "2", json(body), Optional.empty()));
            assertThat(e.status()).as(body).isEqualTo(400);
            assertThat(e.fields()).as(body).extracting(f -> f.field()).containsExactly("seed");
        }
        ApiError unknown = refused(() -> api.retrySegment("api-p", "2", json("{\"sead\": 7}"), Optional.empty()));
        assertThat(unknown.fields()).extracting(f -> f.field()).containsExactly("sead");
        ApiError array = refused(() -> api.retrySegment("api-p", "2", json("[7]"), Optional.empty()));
        assertThat(array.status()).isEqualTo(400);
        ApiError key = refused(() -> api.retrySegment("api-p", "2", null, Optional.of(" ")));
        assertThat(key.fields()).extracting(f -> f.field()).containsExactly("Idempotency-Key");
        assertThat(jobs.get("api-p")).isEqualTo(parent);
    }

    @Test
    void aRetryQueuesOneNewJobForThatSegmentWithANewSeedAndTheJoinStartsAgainWhenItSucceeds() throws Exception {
        Job parent = succeededParent("api-p", 3);
        List<String> before = Segments.jobIds(parent);

        JobsApi.Answer answer = api.retrySegment("api-p", "2", JSON.readTree("{\"seed\": 7}"), Optional.empty());

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().path("status").asText()).isEqualTo("RENDERING_SEGMENTS");
        JsonNode retry = answer.body().path("retry");
        assertThat(retry.path("segment").asInt()).isEqualTo(2);
        assertThat(retry.path("jobId").asText()).isEqualTo("api-p-s002-a2");
        assertThat(retry.path("previousJobId").asText()).isEqualTo(before.get(1));
        assertThat(retry.path("previousSeed").asLong()).isEqualTo(PLAN_SEED);
        assertThat(retry.path("seed").asLong()).isEqualTo(7);

        Job reopened = jobs.get("api-p");
        assertThat(reopened.status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        assertThat(reopened.history()).extracting(Job.StatusChange::status).endsWith(JobStatus.SUCCEEDED, JobStatus.RENDERING_SEGMENTS);
        assertThat(reopened.outputs()).as("the download stays until the new join replaces it").isEqualTo(parent.outputs());
        assertThat(Segments.jobIds(reopened)).containsExactly(before.get(0), "api-p-s002-a2", before.get(2));
        assertThat(reopened.segments().path("succeeded").asInt()).isEqualTo(2);
        assertThat(reopened.progress()).isLessThan(1.0);
        // one new job, for segment 2 only, with the new seed and the segment's cut as its input
        Job again = jobs.get("api-p-s002-a2");
        assertThat(again.status().isWaiting() || again.status() == JobStatus.ADMITTED).as(again.status().name()).isTrue();
        assertThat(again.request().path("seed").asLong()).isEqualTo(7);
        assertThat(again.source().key()).isEqualTo(Segments.inputKey("api-p", 1));
        assertThat(Segments.segmentOf(again)).hasValueSatisfying(of -> assertThat(of.attempt()).isEqualTo(2));
        assertThat(jobs.list(Optional.empty(), 100, Optional.empty()).jobs()).extracting(Job::jobId)
                .filteredOn(id -> id.startsWith("api-p-s")).hasSize(4);
        // GET shows the retry and each segment's seed
        JsonNode view = api.get("api-p").body();
        assertThat(view.path("segments").path("retries")).hasSize(1);
        assertThat(view.path("segments").path("retries").get(0).path("seed").asLong()).isEqualTo(7);
        assertThat(view.path("segments").path("items").get(1).path("seed").asLong()).isEqualTo(7);
        assertThat(view.path("segments").path("items").get(0).path("seed").asLong()).isEqualTo(PLAN_SEED);

        // the new attempt succeeds: the fan-in starts the parent's join again, once
        SegmentFanIn fanIn = SegmentFanIn.of(services);
        Job done = jobs.update("api-p-s002-a2", j -> j.moveTo(JobStatus.SUCCEEDED, clock.instant(), null));
        assertThat(fanIn.segmentEnded(done)).isEqualTo(SegmentFanIn.Effect.JOIN_STARTED);
        assertThat(jobs.get("api-p").status()).isEqualTo(JobStatus.JOINING);
        assertThat(jobs.get("api-p").outputs()).isEqualTo(parent.outputs());
        assertThat(executions.started()).filteredOn("api-p"::equals).hasSize(1);
        // the old attempt's end, repeated, is not the parent's any more
        assertThat(fanIn.segmentEnded(jobs.get(before.get(1)))).isEqualTo(SegmentFanIn.Effect.NONE);
    }

    @Test
    void theSameIdempotencyKeyAnswersTheSameRetryAndRefusesAnotherSegment() throws Exception {
        succeededParent("api-p", 3);
        JobsApi.Answer first = api.retrySegment("api-p", "3", null, Optional.of("k-1"));
        JobsApi.Answer again = api.retrySegment("api-p", "3", null, Optional.of("k-1"));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("retry").path("jobId").asText()).isEqualTo(first.body().path("retry").path("jobId").asText())
                .isEqualTo("api-p-s003-a2");
        assertThat(again.body().path("retry").path("seed")).isEqualTo(first.body().path("retry").path("seed"));
        assertThat(first.body().path("retry").path("seed").asLong()).as("a random new seed").isNotEqualTo(PLAN_SEED);
        assertThat(jobs.find("api-p-s003-a3")).isEmpty();
        assertThat(Segments.retries(jobs.get("api-p"))).hasSize(1);

        ApiError other = refused(() -> api.retrySegment("api-p", "1", null, Optional.of("k-1")));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        // without the key, a second retry while the first renders is a conflict naming the status
        assertThat(refused(() -> api.retrySegment("api-p", "1", null, Optional.empty())).getMessage()).contains("RENDERING_SEGMENTS");
        // the record never holds the key itself
        assertThat(jobs.get("api-p").segments().toString()).doesNotContain("k-1");
    }

    @Test
    void aParentFailedByASegmentRetriesItAndQueuesAgainTheSegmentsTakenOutOfTheQueue() {
        Job parent = splitParent("api-f", 3);
        List<String> ids = Segments.jobIds(parent);
        SegmentFanIn fanIn = SegmentFanIn.of(services);
        fanIn.segmentEnded(succeed(ids.get(0)));
        // segment 2 fails twice: the parent fails, segment 3 leaves the queue
        fanIn.segmentEnded(fail(ids.get(1)));
        String second = Segments.jobIds(jobs.get("api-f")).get(1);
        assertThat(fanIn.segmentEnded(fail(second))).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        jobs.update(ids.get(2), j -> j.status().isTerminal() ? j : j.moveTo(JobStatus.CANCELED, clock.instant(), "its parent failed"));
        assertThat(jobs.get("api-f").error().code()).isEqualTo("SEGMENT_FAILED");
        // GET /jobs/{id} names the segment that failed the clip in a field of its error, numbered as this route numbers it
        assertThat(api.get("api-f").body().path("error").path("segment").asInt()).isEqualTo(2);

        JobsApi.Answer answer = api.retrySegment("api-f", "2", null, Optional.empty());

        assertThat(answer.status()).isEqualTo(202);
        Job reopened = jobs.get("api-f");
        assertThat(reopened.status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        assertThat(reopened.error()).isNull();
        assertThat(Segments.jobIds(reopened)).containsExactly(ids.get(0), "api-f-s002-a3", "api-f-s003-a2");
        assertThat(answer.body().path("retry").path("alsoQueued")).extracting(JsonNode::asText).containsExactly("api-f-s003-a2");
        assertThat(jobs.get("api-f-s003-a2").request().path("seed").asLong()).as("its own seed, the plan's").isEqualTo(PLAN_SEED);
        assertThat(jobs.get("api-f-s002-a3").request().path("seed").asLong()).isNotEqualTo(PLAN_SEED);
        // a round of attempts starts with the user's retry: its failure is generated once more, not the parent's end
        assertThat(fanIn.segmentEnded(fail("api-f-s002-a3"))).isEqualTo(SegmentFanIn.Effect.RETRIED);
        assertThat(jobs.get("api-f-s002-a4").request().path("seed")).isEqualTo(jobs.get("api-f-s002-a3").request().path("seed"));
        assertThat(fanIn.segmentEnded(fail("api-f-s002-a4"))).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        assertThat(jobs.get("api-f").error().message()).contains("failed 2 times");
    }

    @Test
    void aFailedParentWhoseOtherSegmentStillRunsIsRefusedUntilItEndsAndItsLateEndIsNotWrittenOverTheRetry() {
        Job parent = splitParent("api-r", 3);
        List<String> ids = Segments.jobIds(parent);
        SegmentFanIn fanIn = SegmentFanIn.of(services);
        // segment 2 succeeded; segment 3 is admitted (generating by the time its parent fails)
        fanIn.segmentEnded(succeed(ids.get(1)));
        jobs.update(ids.get(2), j -> j.status() == JobStatus.ADMITTED ? j : j.moveTo(JobStatus.ADMITTED, clock.instant(), null));
        fanIn.segmentEnded(fail(ids.get(0)));
        String second = Segments.jobIds(jobs.get("api-r")).get(0);
        assertThat(fanIn.segmentEnded(fail(second))).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        Job failedParent = jobs.get("api-r");

        // segment 3 still generates: no retry beside it, nothing written, nothing queued
        ApiError e = refused(() -> api.retrySegment("api-r", "1", null, Optional.empty()));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("NOT_RETRYABLE");
        assertThat(e.getMessage()).contains("segment 3", "is still ADMITTED", ids.get(2));
        assertThat(jobs.get("api-r")).isEqualTo(failedParent);
        assertThat(jobs.find(Segments.jobId("api-r", 0, 3))).isEmpty();

        // it ends (failed); the retry reads that end and queues it again; its late record does not undo that
        Job late = fail(ids.get(2));
        assertThat(api.retrySegment("api-r", "1", null, Optional.empty()).status()).isEqualTo(202);
        assertThat(Segments.jobIds(jobs.get("api-r"))).containsExactly(Segments.jobId("api-r", 0, 3), ids.get(1),
                Segments.jobId("api-r", 2, 2));
        fanIn.segmentEnded(late);
        Job reopened = jobs.get("api-r");
        assertThat(reopened.status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        assertThat(Segments.items(reopened).get(2).jobId()).isEqualTo(Segments.jobId("api-r", 2, 2));
        assertThat(Segments.items(reopened).get(2).status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
    }

    @Test
    void aRetryWhoseClipsInputIsGoneIsRefusedNamingItAndChangesNothing() {
        Job parent = succeededParent("api-p", 3);
        bucket.keys.remove("inputs/api-p.mp4"); // expired by the bucket's lifecycle, or deleted

        ApiError e = refused(() -> api.retrySegment("api-p", "2", null, Optional.empty()));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("INPUT_GONE");
        assertThat(e.getMessage()).contains("the clip's input s3://bucket/inputs/api-p.mp4", "is gone", "30 days",
                "submit the clip again").doesNotContain("segment 2's input");
        assertThat(bucket.heads).as("the source, segment 2's cut and its neighbours' generations looked at, nothing else")
                .containsExactlyInAnyOrder("inputs/api-p.mp4", Segments.inputKey("api-p", 1),
                        generationKey("api-p-s001"), generationKey("api-p-s003"));
        assertThat(jobs.get("api-p")).isEqualTo(parent);
        assertThat(jobs.find("api-p-s002-a2")).isEmpty();
        assertThat(executions.started()).doesNotContain("api-p-s002-a2");
    }

    @Test
    void aRetryWhoseSegmentsCutIsGoneIsRefusedNamingItButAnotherSegmentsCutIsNotItsConcern() {
        Job parent = succeededParent("api-p", 3);
        bucket.keys.remove(Segments.inputKey("api-p", 1));

        ApiError e = refused(() -> api.retrySegment("api-p", "2", null, Optional.empty()));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("INPUT_GONE");
        assertThat(e.getMessage()).contains("segment 2's input s3://bucket/work/api-p/segments/002.mp4 is gone", "submit the clip again")
                .doesNotContain("the clip's input");
        assertThat(jobs.get("api-p")).isEqualTo(parent);
        assertThat(jobs.find("api-p-s002-a2")).isEmpty();

        // segment 3's generation is reused as it is: its cut is not read again, and segment 3 can still be retried
        assertThat(api.retrySegment("api-p", "3", null, Optional.empty()).status()).isEqualTo(202);
        assertThat(jobs.get("api-p-s003-a2").source().key()).isEqualTo(Segments.inputKey("api-p", 2));
    }

    @Test
    void aFailedParentsRetryIsRefusedWhenTheCutOfASegmentItWouldQueueAgainIsGone() {
        List<String> ids = failedBySegmentTwo("api-f");
        Job failed = jobs.get("api-f");
        bucket.keys.remove(Segments.inputKey("api-f", 2));
        bucket.keys.remove(Segments.inputKey("api-f", 0)); // segment 1 succeeded: reused, its cut not needed

        ApiError e = refused(() -> api.retrySegment("api-f", "2", null, Optional.empty()));

        assertThat(e.code()).isEqualTo("INPUT_GONE");
        assertThat(e.getMessage()).contains("segment 3's input s3://bucket/work/api-f/segments/003.mp4")
                .doesNotContain("segment 1's input", "segment 2's input");
        assertThat(jobs.get("api-f")).isEqualTo(failed);
        assertThat(jobs.find("api-f-s002-a3")).isEmpty();
        assertThat(jobs.find("api-f-s003-a2")).isEmpty();
    }

    @Test
    void aRetryWhoseNeighboursGenerationIsGoneIsRefusedNamingItAndChangesNothing() {
        Job parent = succeededParent("api-p", 5);
        List<String> ids = Segments.jobIds(parent);
        bucket.keys.remove(generationKey(ids.get(3))); // expired by the bucket's lifecycle on outputs/, or deleted
        bucket.heads.clear();

        ApiError e = refused(() -> api.retrySegment("api-p", "3", null, Optional.empty()));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("INPUT_GONE");
        assertThat(e.getMessage()).contains("segment 3 of job api-p cannot be generated again",
                "segment 4's generation s3://bucket/outputs/api-p-s004/asset-api-p-s004.mp4 is gone", "generations 90 days",
                "submit the clip again").doesNotContain("the clip's input", "segment 3's generation");
        // segments 2 to 4 are finished anew: their own generations and their neighbours' (1 and 5) are read, not 3's own
        assertThat(bucket.heads).containsExactlyInAnyOrder("inputs/api-p.mp4", Segments.inputKey("api-p", 2),
                generationKey(ids.get(0)), generationKey(ids.get(1)), generationKey(ids.get(3)), generationKey(ids.get(4)));
        assertThat(jobs.get("api-p")).isEqualTo(parent);
        assertThat(jobs.find("api-p-s003-a2")).isEmpty();
        assertThat(executions.started()).doesNotContain("api-p-s003-a2");

        // segment 1 is two places from segment 4's: its retry finishes 1 and 2 anew and reads 3, not 4
        assertThat(api.retrySegment("api-p", "1", null, Optional.empty()).status()).isEqualTo(202);
    }

    @Test
    void aFailedParentsRetryNeedsTheGenerationsOfTheSegmentsThatSucceededBesideThoseItQueuesAgain() {
        List<String> ids = failedBySegmentTwo("api-f");
        Job failed = jobs.get("api-f");
        // segment 1's record no longer says where its generation is
        jobs.update(ids.get(0), j -> j.withOutputs(List.of(), clock.instant()));

        ApiError e = refused(() -> api.retrySegment("api-f", "2", null, Optional.empty()));

        assertThat(e.code()).isEqualTo("INPUT_GONE");
        assertThat(e.getMessage()).contains("segment 1's generation (job api-f-s001 has no output on record) is gone")
                .doesNotContain("segment 3's generation");
        assertThat(jobs.get("api-f")).isEqualTo(failed);
        assertThat(jobs.find("api-f-s002-a3")).isEmpty();
    }

    @Test
    void aLongClipsLinksOfferTheRetryTemplateOnlyWhenItsStatusAllowsARetry() {
        splitParent("api-r", 3);
        assertThat(api.get("api-r").body().path("links").has("retrySegment")).as("RENDERING_SEGMENTS").isFalse();

        succeededParent("api-p", 3);
        JsonNode links = api.get("api-p").body().path("links");
        assertThat(links.path("retrySegment").asText()).isEqualTo("/jobs/api-p/segments/{n}/retry");
        assertThat(links.path("self").asText()).isEqualTo("/jobs/api-p");
        api.retrySegment("api-p", "2", null, Optional.empty());
        assertThat(api.get("api-p").body().path("links").has("retrySegment")).as("rendering again").isFalse();

        splitParent("api-f", 3);
        jobs.update("api-f", j -> j.withError(new Job.JobError("SEGMENT_FAILED", "segment 1 failed 2 times", null), T0)
                .moveTo(JobStatus.FAILED, T0, null));
        assertThat(api.get("api-f").body().path("links").path("retrySegment").asText()).isEqualTo("/jobs/api-f/segments/{n}/retry");

        splitParent("api-x", 3);
        jobs.update("api-x", j -> j.moveTo(JobStatus.JOINING, T0, null)
                .withError(new Job.JobError("FINISH_FAILED", "ffmpeg", null), T0).moveTo(JobStatus.FAILED, T0, null));
        assertThat(api.get("api-x").body().path("links").has("retrySegment")).as("FAILED with FINISH_FAILED").isFalse();
        splitParent("api-c", 3);
        jobs.update("api-c", j -> j.moveTo(JobStatus.CANCELED, T0, null));
        assertThat(api.get("api-c").body().path("links").has("retrySegment")).as("CANCELED").isFalse();

        // neither a job of one generation nor a segment's own job offers it, whatever its status
        jobs.create(Job.queued("api-one", request(), source("api-one"), null, null, T0, 1).moveTo(JobStatus.SUCCEEDED, T0, null));
        assertThat(api.get("api-one").body().path("links").has("retrySegment")).isFalse();
        assertThat(api.get("api-p-s001").body().path("links").has("retrySegment")).isFalse();
        // lists carry the same links
        assertThat(api.list(Map.of("limit", "100")).body().path("jobs")).filteredOn(j -> j.path("jobId").asText().equals("api-f"))
                .singleElement().satisfies(j -> assertThat(j.path("links").path("retrySegment").asText()).contains("/jobs/api-f/"));
    }

    /** A segment's job SUCCEEDED as CopyResults leaves it: its raw generation in the bucket, its first output. */
    private Job succeed(String jobId) {
        Job.Output raw = new Job.Output("asset-" + jobId, "bucket", generationKey(jobId), 100L, "ab", "video/mp4", 640, 360, 2.0);
        bucket.keys.add(raw.key());
        return jobs.update(jobId, j -> j.withOutputs(List.of(raw), clock.instant()).moveTo(JobStatus.SUCCEEDED, clock.instant(), null));
    }

    private static String generationKey(String jobId) {
        return "outputs/" + jobId + "/asset-" + jobId + ".mp4";
    }

    private Job fail(String jobId) {
        return jobs.update(jobId, j -> j.withError(new Job.JobError("GENERATION_FAILED", "no", null), clock.instant())
                .moveTo(JobStatus.FAILED, clock.instant(), null));
    }

    /** A parent split into {@code count} segments, each queued as the Split step queues them. */
    private Job splitParent(String id, int count) {
        SegmentPlan plan = SegmentPlanner.plan(count * 200L, 16, 16, SegmentRules.model(8), List.of(), PLAN_SEED);
        assertThat(plan.count()).isEqualTo(count);
        Job parent = Job.queued(id, request(), source(id), null, null, T0, 1).withSegments(Segments.planned(plan), T0);
        List<String> ids = plan.segments().stream().map(s -> Segments.jobId(id, s.index(), 1)).toList();
        Job split = parent.moveTo(JobStatus.SPLITTING, T0, null).withSegments(Segments.split(Segments.planned(plan), ids), T0)
                .moveTo(JobStatus.RENDERING_SEGMENTS, T0, null);
        jobs.create(split);
        // what the Split step leaves in the bucket: the clip's input, and each segment's cut under work/
        bucket.keys.add(split.source().key());
        plan.segments().forEach(s -> bucket.keys.add(Segments.inputKey(id, s.index())));
        JobStarter starter = new JobStarter(services);
        for (SegmentPlan.Segment s : plan.segments()) {
            starter.start(Segments.segmentJob(split, s.index(), 1, "bucket", 100L));
        }
        return jobs.get(id);
    }

    /** A parent whose segments all succeeded and whose join wrote its output. */
    private Job succeededParent(String id, int count) {
        Job split = splitParent(id, count);
        for (String segment : Segments.jobIds(split)) {
            succeed(segment);
            jobs.update(id, p -> p.withSegments(Segments.withItem(p, Segments.jobIds(p).indexOf(segment), segment, 1,
                    JobStatus.SUCCEEDED), T0));
        }
        Job.Output video = new Job.Output(null, "bucket", "outputs/" + id + "/outpaint.mp4", 1000L, "ab", "video/mp4", 640, 360, 10.0);
        return jobs.update(id, p -> p.moveTo(JobStatus.JOINING, T0, null).withOutputs(List.of(video), T0)
                .moveTo(JobStatus.SUCCEEDED, T0, "joined"));
    }

    private static Job.Source source(String id) {
        return new Job.Source("api", "bucket", "inputs/" + id + ".mp4", null, null, 1L, "video/mp4");
    }

    private static ObjectNode request() {
        return JSON.createObjectNode().put("prompt", "a street");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ApiError refused(Runnable call) {
        ApiError e = catchThrowableOfType(call::run, ApiError.class);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    /** The test's bucket: the keys of the objects in it, for the one call a retry makes (HeadObject). */
    private static final class Bucket implements S3Client {
        final Set<String> keys = ConcurrentHashMap.newKeySet();
        final List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            heads.add(request.key());
            if (!request.bucket().equals("bucket") || !keys.contains(request.key())) {
                throw NoSuchKeyException.builder().statusCode(404).message("Not Found").build();
            }
            return HeadObjectResponse.builder().contentLength(1L).build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }

    private static S3Presigner presigner() {
        return S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }
    /**
     * A parent of 3 segments, split as {@code id}, failed by its segment 2 failing twice after segment 1 succeeded, segment 3
     * canceled with it; the segments' first job ids.
     */
    private List<String> failedBySegmentTwo(String id) {
        List<String> ids = Segments.jobIds(splitParent(id, 3));
        SegmentFanIn fanIn = SegmentFanIn.of(services);
        fanIn.segmentEnded(succeed(ids.get(0)));
        fanIn.segmentEnded(fail(ids.get(1)));
        assertThat(fanIn.segmentEnded(fail(Segments.jobIds(jobs.get(id)).get(1)))).isEqualTo(SegmentFanIn.Effect.PARENT_FAILED);
        jobs.update(ids.get(2), j -> j.status().isTerminal() ? j : j.moveTo(JobStatus.CANCELED, clock.instant(), "its parent failed"));
        return ids;
    }
}
