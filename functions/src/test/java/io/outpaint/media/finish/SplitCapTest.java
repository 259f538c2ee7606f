package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.pipeline.LandedPrice;
import io.outpaint.pipeline.Lazy;
import io.outpaint.pipeline.OverMaxCreativeUnitsException;
import io.outpaint.pipeline.RecordFailure;
import io.outpaint.pipeline.StepOutcome;
import io.outpaint.pipeline.StepState;
import io.outpaint.pricing.Estimate;
import io.outpaint.pricing.PriceShape;
import io.outpaint.queue.Admission;
import io.outpaint.queue.Dispatcher;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemorySlotLimiter;
import io.outpaint.testing.FakeExecutions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The Split step's plan, made again from the frames FFmpeg counts in the clip, priced against the job's
 * {@code maxCreativeUnits}: a clip whose headers understated it (checked within the cap at creation) fails with
 * OVER_MAX_CREATIVE_UNITS before any segment is cut or queued; within the cap, or without one, it is split as before.
 * A real clip, real FFmpeg; the bucket, the store and the prices (one unit per generated frame) in memory.
 */
class SplitCapTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final SegmentRules RULES = SegmentRules.model(8);
    private static final long SEED = 42;
    /** 20 s at 16 fps: FFmpeg counts 320 frames. */
    private static final long FRAMES = 320;
    @TempDir static Path dir;
    private static byte[] clip;

    private final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotLimiter slots = new InMemorySlotLimiter();
    private final FakeExecutions executions = new FakeExecutions();
    private final Admission admission = new Admission(slots, new Dispatcher(jobs, slots, executions, 1, clock));
    private final Bucket bucket = new Bucket();
    private final List<PriceShape> priced = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void makeClip() throws IOException {
        clip = Files.readAllBytes(new FinishClips(dir).mp4("long.mp4", 160, 120, "16", FRAMES / 16.0, null));
    }

    @Test
    void aPlanFromTheClipAboveTheCapFailsTheJobBeforeAnySegmentIsCutOrQueued() {
        // the headers said 160 frames: the plan checked at creation, within the cap it was priced at
        int atCreation = price(headersPlan(160));
        Job parent = splitting("over", atCreation);

        OverMaxCreativeUnitsException e = catchThrowableOfType(() -> split().run(StepState.of("over")),
                OverMaxCreativeUnitsException.class);

        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).matches("the estimate is [0-9]+ creative units \\(the sum of its [0-9]+ segments'\\), above"
                + " maxCreativeUnits " + atCreation + "; priced again when the clip was split, on the " + FRAMES + " frames at 16 fps .*")
                .contains("higher maxCreativeUnits");
        // the failure path records it under the cap's code, as at creation or when the video landed
        assertThat(RecordFailure.codeOf(e.getClass().getName())).isEqualTo(LandedPrice.OVER_MAX_CREATIVE_UNITS);
        assertThat(priced).as("the new plan was priced").isNotEmpty();
        assertThat(bucket.puts).as("no segment cut").isEmpty();
        assertThat(jobs.find(Segments.jobId("over", 0, 1))).as("no segment queued").isEmpty();
        Job after = jobs.get("over");
        assertThat(after.status()).isEqualTo(JobStatus.SPLITTING);
        assertThat(after.segments()).as("the headers' plan kept, no items").isEqualTo(parent.segments());
        assertThat(executions.started()).isEmpty();
    }

    @Test
    void aPlanFromTheClipWithinTheCapIsSplitAndQueued() {
        splitting("within", 10_000);

        StepState done = split().run(StepState.of("within"));

        assertThat(done.outcome()).isEqualTo(StepOutcome.SEGMENTS_QUEUED);
        assertThat(priced).isNotEmpty();
        Job after = jobs.get("within");
        assertThat(after.status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
        assertThat(jobs.find(Segments.jobId("within", 0, 1))).isPresent();
        assertThat(bucket.puts).hasSize(Segments.count(after));
    }

    @Test
    void aJobWithoutACapIsSplitWithoutBeingPriced() {
        splitting("uncapped", null);

        assertThat(split().run(StepState.of("uncapped")).outcome()).isEqualTo(StepOutcome.SEGMENTS_QUEUED);

        assertThat(priced).isEmpty();
        assertThat(jobs.get("uncapped").status()).isEqualTo(JobStatus.RENDERING_SEGMENTS);
    }

    private Split split() {
        LandedPrice cap = new LandedPrice(RULES, Duration.ofMinutes(10), shape -> {
            priced.add(shape);
            return new Estimate(shape, shape.frames(), Estimate.Source.CACHE, T0);
        });
        return new Split(jobs, Lazy.ofValue(bucket), Lazy.ofValue(FinishClips.FFMPEG), new JobStarter(jobs, admission, clock), admission,
                RULES, dir.resolve("work"), clock, cap);
    }

    private static SegmentPlan headersPlan(long frames) {
        return SegmentPlanner.plan(frames, 16, 16, RULES, List.of(), SEED);
    }

    /** The plan's price at one unit per generated frame, each segment on its own shape. */
    private static int price(SegmentPlan plan) {
        return plan.segments().stream().mapToInt(SegmentPlan.Segment::generatedFrames).sum();
    }

    /** A parent SPLITTING as UploadInput leaves it: the headers' plan (160 frames) recorded, its cap {@code max}. */
    private Job splitting(String id, Integer max) {
        bucket.objects.put("inputs/" + id + ".mp4", clip);
        Job job = Job.queued(id, JsonNodeFactory.instance.objectNode().put("prompt", "a street").put("resolution", "480p"),
                new Job.Source("s3", "bucket", "inputs/" + id + ".mp4", null, null, (long) clip.length, "video/mp4"), null, null, T0, 1)
                .withSegments(Segments.planned(headersPlan(160)), T0)
                .withBilling(Job.Billing.NONE.withMaxCreativeUnits(max), T0);
        jobs.create(job.moveTo(JobStatus.SPLITTING, T0, null));
        return jobs.get(id);
    }

    /** A bucket in memory: GetObject to a file, HeadObject and PutObject, the calls the step makes. */
    private static final class Bucket implements S3Client {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();
        final List<String> puts = new CopyOnWriteArrayList<>();

        @Override
        public GetObjectResponse getObject(GetObjectRequest request, Path file) {
            try {
                Files.write(file, objects.get(request.key()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return GetObjectResponse.builder().build();
        }

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            byte[] object = objects.get(request.key());
            if (object == null) {
                throw NoSuchKeyException.builder().statusCode(404).message("Not Found").build();
            }
            return HeadObjectResponse.builder().contentLength((long) object.length).build();
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            puts.add(request.key());
            try (var in = body.contentStreamProvider().newStream()) {
                objects.put(request.key(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return PutObjectResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
