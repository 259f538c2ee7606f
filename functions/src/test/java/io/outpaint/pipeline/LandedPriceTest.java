package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.media.VideoProbe;
import io.outpaint.pricing.Estimate;
import io.outpaint.pricing.PriceShape;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.segments.Segments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cap of a job created with an upload URL, checked on the video that landed: a clip longer than one generation is
 * priced as the sum of its segments (each on its own shape, planned as UploadInput plans it) and fails above the cap with
 * both figures named; within it, the job keeps that sum and its plan. Prices differ per frame count (3 a frame plus 1), so
 * a sum of the wrong shapes shows; every shape asked is recorded.
 */
class LandedPriceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final String JOB_ID = "api-landed-1";
    /** 40 s at 24 fps, generated at the default 16 fps: 640 generated frames, three generations. */
    private static final VideoProbe.Video LONG = new VideoProbe.Video(null, 320, 240, 40, 24, 960);
    private static final VideoProbe.Video SHORT = new VideoProbe.Video(null, 320, 240, 5, 24, 120);

    private final List<PriceShape> asked = new ArrayList<>();
    private int extra; // what a shape costs more than at creation (a price book refreshed since)
    private final LandedPrice landed = new LandedPrice(SegmentRules.model(), Duration.ofSeconds(600), shape -> {
        asked.add(shape);
        return new Estimate(shape, price(shape.frames()) + extra, Estimate.Source.CACHE, NOW);
    });

    private static int price(int frames) {
        return 3 * frames + 1;
    }

    /** An upload-URL job as the API creates it with {@code maxCreativeUnits}: priced on the request's 81 frames. */
    private static Job job(Integer max) {
        ObjectNode request = JSON.createObjectNode().put("prompt", "p").put("numFrames", 81);
        Job job = Job.queued(JOB_ID, io.outpaint.request.OutpaintRequest.fromJson(request).toJson(), new Job.Source("api-upload",
                "bucket", "inputs/" + JOB_ID + "/clip.mp4", null, null, null, "video/mp4"), null, null, NOW, 7);
        return job.withBilling(Job.Billing.NONE.withEstimate(price(81)).withMaxCreativeUnits(max), NOW);
    }

    private static Supplier<Optional<VideoProbe.Video>> headers(VideoProbe.Video video) {
        return () -> Optional.of(video);
    }

    private static final Supplier<OptionalInt> NO_FRAMES_ASKED = () -> {
        throw new AssertionError("the request gives numFrames: the video's frame count is not read");
    };

    private static SegmentPlan expectedPlan() {
        return SegmentPlanner.plan(960, 24, 16, SegmentRules.model(), List.of(), SegmentPlanner.seedFor(Optional.empty(), JOB_ID));
    }

    private static int expectedSum() {
        return expectedPlan().segments().stream().mapToInt(s -> price(s.generatedFrames())).sum();
    }

    @Test
    void aLongClipOverTheCapFailsNamingTheSumOfItsSegmentsAndTheCap() {
        int max = 500; // the 81 frames asked cost 244: within at creation; the landed clip's three segments cost far more
        SegmentPlan plan = expectedPlan();
        assertThat(plan.count()).isEqualTo(3);
        int sum = expectedSum();
        assertThat(sum).isGreaterThan(max);

        LandedPrice.Outcome outcome = landed.check(job(max), headers(LONG), NO_FRAMES_ASKED);

        assertThat(outcome).isInstanceOf(LandedPrice.Outcome.Over.class);
        Job.JobError error = ((LandedPrice.Outcome.Over) outcome).error();
        assertThat(error.code()).isEqualTo("OVER_MAX_CREATIVE_UNITS");
        assertThat(error.message()).startsWith("the estimate is " + sum + " creative units (the sum of its 3 segments'), above"
                + " maxCreativeUnits " + max + "; priced when the video landed (960 frames at 24 fps, longer than one generation)");
        assertThat(error.hint()).contains("POST /uploads").contains("higher maxCreativeUnits");
        // each segment priced on its own shape, not the request's 81 frames
        assertThat(asked).extracting(PriceShape::frames).containsExactlyInAnyOrderElementsOf(
                plan.segments().stream().map(SegmentPlan.Segment::generatedFrames).distinct().toList());
    }

    @Test
    void aLongClipWithinTheCapIsQueuedWithTheSumAsItsEstimateAndItsPlan() {
        int sum = expectedSum();

        LandedPrice.Outcome outcome = landed.check(job(sum), headers(LONG), NO_FRAMES_ASKED);

        assertThat(outcome).isEqualTo(new LandedPrice.Outcome.Within(sum, Optional.of(expectedPlan())));
        Job recorded = LandedPrice.recorded(job(sum), (LandedPrice.Outcome.Within) outcome, NOW);
        assertThat(recorded.billing()).isEqualTo(new Job.Billing(sum, null, null, sum));
        assertThat(Segments.isParent(recorded)).as("planned as UploadInput plans it: a budget holds its segments").isTrue();
        assertThat(recorded.segments()).isEqualTo(Segments.planned(expectedPlan()));
        assertThat(recorded.status()).as("the check queues nothing itself").isEqualTo(job(sum).status());
    }

    @Test
    void aShortClipWhoseLandedPriceIsAboveTheCapFailsToo() {
        extra = 10; // its shape's price rose after the job was created: 254 now, the cap is the 244 of creation
        LandedPrice.Outcome outcome = landed.check(job(price(81)), headers(SHORT), NO_FRAMES_ASKED);

        assertThat(outcome).isInstanceOf(LandedPrice.Outcome.Over.class);
        assertThat(((LandedPrice.Outcome.Over) outcome).error().message())
                .isEqualTo("the estimate is 254 creative units, above maxCreativeUnits 244; priced when the video landed");
        assertThat(asked).extracting(PriceShape::frames).containsExactly(81);
    }

    @Test
    void aShortClipWithinTheCapKeepsItsShapesPriceAndNoPlan() {
        LandedPrice.Outcome outcome = landed.check(job(price(81)), headers(SHORT), NO_FRAMES_ASKED);

        assertThat(outcome).isEqualTo(new LandedPrice.Outcome.Within(price(81), Optional.empty()));
        Job recorded = LandedPrice.recorded(job(price(81)), (LandedPrice.Outcome.Within) outcome, NOW);
        assertThat(recorded.segments()).isNull();
        assertThat(recorded.billing().estimate()).isEqualTo(price(81));
    }

    @Test
    void aJobWithoutACapIsNotCheckedAndItsVideoNotRead() {
        LandedPrice.Outcome outcome = landed.check(job(null), () -> {
            throw new AssertionError("no cap: the headers are not read");
        }, NO_FRAMES_ASKED);

        assertThat(outcome).isInstanceOf(LandedPrice.Outcome.Unchecked.class);
        assertThat(asked).isEmpty();
    }

    @Test
    void aClipLongerThanTheDeploymentTakesIsLeftToUploadInputUnpriced() {
        VideoProbe.Video hour = new VideoProbe.Video(null, 320, 240, 3600, 24, 86_400);

        assertThat(landed.check(job(500), headers(hour), NO_FRAMES_ASKED)).isInstanceOf(LandedPrice.Outcome.Unchecked.class);
        assertThat(asked).isEmpty();
    }

    @Test
    void headersThatCannotBeReadArePricedAsOneGeneration() {
        LandedPrice.Outcome outcome = landed.check(job(500), Optional::empty, NO_FRAMES_ASKED);

        assertThat(outcome).isEqualTo(new LandedPrice.Outcome.Within(price(81), Optional.empty()));
    }
}
