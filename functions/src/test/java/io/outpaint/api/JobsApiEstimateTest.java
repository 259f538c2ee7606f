package io.outpaint.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.config.PipelineConfig;
import io.outpaint.pricing.PriceBook;
import io.outpaint.pricing.PriceShape;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.InMemoryJobStore;
import io.outpaint.store.InMemoryPriceBook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /estimate} of a clip longer than one generation: the segment plan (the job record's plan, each segment's
 * frames and price) and the cost as the sum of the segments' prices, each priced on its own shape. Every price comes from
 * the price book, filled here with a price that differs per frame count, so a sum of the wrong shapes shows.
 */
class JobsApiEstimateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final OutpaintRequest DEFAULTS = OutpaintRequest.fromJson(JSON.createObjectNode().put("prompt", "p"));

    private final InMemoryPriceBook book = new InMemoryPriceBook();
    private final JobsApi api = new JobsApi(new PipelineServices(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t",
            "BUCKET_NAME", "bucket")), Clock.fixed(NOW, ZoneOffset.UTC), null, new InMemoryJobStore(),
            new io.outpaint.store.InMemorySlotLimiter(), new io.outpaint.store.InMemoryJobDurations(), null, null, null, null, null,
            null, book), () -> {
                throw new AssertionError("an estimate presigns nothing");
            });

    JobsApiEstimateTest() {
        // no Scenario here: every shape a test asks is in the book, 3 units a frame plus 1 (so no two frame counts cost the same)
        for (int frames = PriceShape.MIN_FRAMES; frames <= PriceShape.MAX_FRAMES; frames++) {
            book.put(new PriceBook.Price(new PriceShape(frames, DEFAULTS.resolution(), DEFAULTS.numInferenceSteps(),
                    DEFAULTS.numInterpolatedFrames()), price(frames), NOW));
        }
    }

    private static int price(int frames) {
        return 3 * frames + 1;
    }

    private JsonNode estimate(String shape, String request) throws Exception {
        JobsApi.Answer answer = api.estimate(JSON.readTree("{\"video\":{\"shape\":" + shape + "},\"request\":" + request + "}"));
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void aLongClipIsEstimatedAsTheSumOfItsSegmentsEachOnItsOwnShape() throws Exception {
        // 40 s at 24 fps, generated at the default 16 fps: 640 generated frames, more than two generations
        JsonNode body = estimate("{\"width\":320,\"height\":240,\"durationSeconds\":40,\"framesPerSecond\":24,\"frames\":960}",
                "{\"prompt\":\"p\"}");

        SegmentPlan expected = SegmentPlanner.plan(960, 24, 16, SegmentRules.model(), List.of(), 0);
        JsonNode segments = body.path("segments");
        assertThat(segments.path("count").asInt()).isEqualTo(expected.count()).isGreaterThanOrEqualTo(3);
        assertThat(segments.has("seed")).as("the seed is chosen when the job is created").isFalse();
        assertThat(segments.path("overlapFrames").asInt()).isEqualTo(SegmentRules.DEFAULT_OVERLAP);
        int sum = 0;
        long covered = 0;
        for (int i = 0; i < expected.count(); i++) {
            SegmentPlan.Segment planned = expected.segments().get(i);
            JsonNode each = segments.path("each").get(i);
            assertThat(each.path("firstFrame").asLong()).isEqualTo(planned.firstFrame()).isLessThanOrEqualTo(covered);
            assertThat(each.path("endFrame").asLong()).isEqualTo(planned.endFrame());
            assertThat(each.path("generatedFrames").asInt()).isEqualTo(planned.generatedFrames()).isLessThanOrEqualTo(241);
            assertThat(each.path("creativeUnits").asInt()).as("segment %d on its own shape", i).isEqualTo(price(planned.generatedFrames()));
            sum += price(planned.generatedFrames());
            covered = planned.endFrame();
        }
        assertThat(covered).isEqualTo(960);
        assertThat(expected.segments().stream().map(SegmentPlan.Segment::generatedFrames).distinct().count())
                .as("the last segment is shorter: two shapes at least").isGreaterThan(1);
        assertThat(body.path("creativeUnits").asInt()).isEqualTo(sum);
        // not the whole clip priced as one job (640 frames in proportion to 241's price)
        assertThat(sum).isNotEqualTo((int) Math.ceil(price(241) * 640.0 / 241));
        assertThat(body.path("source").asText()).isEqualTo("cache");
        assertThat(body.path("shape").path("frames").asInt()).isEqualTo(expected.segments().get(0).generatedFrames());
        assertThat(body.path("note").asText()).contains("sum of its " + expected.count() + " segments");
    }

    @Test
    void theRequestsSeedIsTheOneSeedOfThePlan() throws Exception {
        JsonNode body = estimate("{\"width\":320,\"height\":240,\"durationSeconds\":40,\"framesPerSecond\":24,\"frames\":960}",
                "{\"prompt\":\"p\",\"seed\":4242}");

        assertThat(body.path("segments").path("seed").asLong()).isEqualTo(4242);
    }

    @Test
    void aClipOfOneGenerationIsOneSegmentAtThePriceOfItsShape() throws Exception {
        JsonNode body = estimate("{\"width\":320,\"height\":240,\"durationSeconds\":5,\"framesPerSecond\":24,\"frames\":120}",
                "{\"prompt\":\"p\",\"numFrames\":81}");

        assertThat(body.path("segments").path("count").asInt()).isEqualTo(1);
        assertThat(body.path("segments").path("each").get(0).has("creativeUnits")).isFalse();
        assertThat(body.path("creativeUnits").asInt()).isEqualTo(price(81));
    }

    @Test
    void aClipWhoseHeadersStateOnlyItsDurationIsPlannedFromIt() throws Exception {
        // a WebM without a default duration: no rate, no frame count; 40 s at the request's 16 fps
        JsonNode body = estimate("{\"width\":320,\"height\":240,\"durationSeconds\":40,\"framesPerSecond\":0,\"frames\":0}",
                "{\"prompt\":\"p\",\"framesPerSecond\":16}");

        SegmentPlan expected = SegmentPlanner.plan(640, 16, 16, SegmentRules.model(), List.of(), 0);
        assertThat(body.path("segments").path("count").asInt()).isEqualTo(expected.count()).isEqualTo(3);
        assertThat(body.path("creativeUnits").asInt())
                .isEqualTo(expected.segments().stream().mapToInt(s -> price(s.generatedFrames())).sum());
    }

    @Test
    void aShapeWithNoPriceAndNoScenarioIsAnErrorNotAPartialSum() {
        // a resolution none of the book's prices is for: its dry run needs Scenario, which this API has not
        assertThatThrownBy(() -> api.estimate(JSON.readTree("{\"video\":{\"shape\":{\"width\":320,\"height\":240,"
                + "\"durationSeconds\":40,\"framesPerSecond\":24,\"frames\":960}},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Scenario credentials");
    }
}
