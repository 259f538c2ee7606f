package io.outpaint.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.request.Choices.Resolution;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.ScenarioValidationException;
import io.outpaint.store.InMemoryPriceBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PricingTest {

    /** Scenario's side: prices by the simulator's rule, counts uploads and dry runs. */
    static final class CountingDryRuns implements DryRuns {
        final List<String> uploads = new ArrayList<>();
        final List<OutpaintRequest> asked = new ArrayList<>();
        String refuse;

        @Override
        public String uploadReference(byte[] video, String fileName, String contentType) {
            assertThat(video).isNotEmpty();
            String asset = "asset_ref" + uploads.size();
            uploads.add(asset);
            return asset;
        }

        @Override
        public int cost(OutpaintRequest request, String videoAssetId) {
            if (videoAssetId.equals(refuse)) {
                throw new ScenarioValidationException("videoUrl " + videoAssetId + " is not a video asset of this project", 400, null, null);
            }
            asked.add(request);
            return request.numFrames() * 10 / 81 + request.numInferenceSteps();
        }
    }

    private final InMemoryPriceBook book = new InMemoryPriceBook();
    private final CountingDryRuns scenario = new CountingDryRuns();
    private Instant now = Instant.parse("2026-05-14T10:00:00Z");
    private final Pricing pricing = new Pricing(book, scenario, Duration.ofHours(24), new Clock() {
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    });

    private static PriceShape shape(int frames) {
        return new PriceShape(frames, Resolution.P720, 30, 1);
    }

    @Test
    void aNewShapeIsPricedByOneDryRunOnTheReferenceUploadedOnce() {
        Estimate first = pricing.estimate(shape(81));
        Estimate second = pricing.estimate(shape(162));

        assertThat(first.source()).isEqualTo(Estimate.Source.DRY_RUN);
        assertThat(first.creativeUnits()).isEqualTo(40);
        assertThat(second.creativeUnits()).isEqualTo(50);
        assertThat(scenario.uploads).containsExactly("asset_ref0");
        assertThat(scenario.asked).extracting(OutpaintRequest::numFrames).containsExactly(81, 162);
    }

    @Test
    void aKnownShapeIsAnsweredFromTheBookWithoutCallingScenario() {
        pricing.estimate(shape(81));
        now = now.plus(Duration.ofHours(23));

        Estimate again = pricing.estimate(shape(81));

        assertThat(again.source()).isEqualTo(Estimate.Source.CACHE);
        assertThat(again.creativeUnits()).isEqualTo(40);
        assertThat(again.pricedAt()).isEqualTo(Instant.parse("2026-05-14T10:00:00Z"));
        assertThat(scenario.asked).hasSize(1);
    }

    @Test
    void aPriceOlderThanItsTimeIsAskedAgainAndKeptWithItsNewDate() {
        pricing.estimate(shape(81));
        now = now.plus(Duration.ofHours(24));

        Estimate refreshed = pricing.estimate(shape(81));

        assertThat(refreshed.source()).isEqualTo(Estimate.Source.DRY_RUN);
        assertThat(refreshed.pricedAt()).isEqualTo(now);
        assertThat(book.find(shape(81)).orElseThrow().pricedAt()).isEqualTo(now);
        assertThat(scenario.uploads).hasSize(1); // the reference is still there: not uploaded again
    }

    @Test
    void framesBeyondWhatADryRunCanAskArePricedInProportionToTheNearestItCan() {
        Estimate longer = pricing.estimate(shape(482));
        Estimate shorter = pricing.estimate(shape(33));

        assertThat(scenario.asked).extracting(OutpaintRequest::numFrames).containsExactly(241, 81);
        assertThat(longer.creativeUnits()).isEqualTo(118); // 59 for 241 frames, twice
        assertThat(shorter.creativeUnits()).isEqualTo(17); // 40 * 33/81 = 16.3, rounded up
        assertThat(longer.toJson().path("scaledFromFrames").asInt()).isEqualTo(241);
    }

    @Test
    void aReferenceThatScenarioNoLongerKnowsIsUploadedAgainOnce() {
        pricing.estimate(shape(81));
        scenario.refuse = "asset_ref0";

        Estimate priced = pricing.estimate(shape(100));

        assertThat(priced.creativeUnits()).isEqualTo(42);
        assertThat(scenario.uploads).containsExactly("asset_ref0", "asset_ref1");
        assertThat(book.reference().orElseThrow().assetId()).isEqualTo("asset_ref1");
    }

    @Test
    void aDryRunTheFreshReferenceCannotPassIsNotRetried() {
        scenario.refuse = "asset_ref0";
        assertThatThrownBy(() -> pricing.estimate(shape(81))).isInstanceOf(ScenarioValidationException.class);
        assertThat(scenario.uploads).hasSize(1);
    }

    @Test
    void theDryRunAsksTheShapeAndOtherwiseTheDefaults() {
        OutpaintRequest asked = Pricing.requestFor(new PriceShape(100, Resolution.P480, 12, 3));
        assertThat(asked.toJson()).isEqualTo(OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "price reference")
                .put("numFrames", 100).put("resolution", "480p").put("numInferenceSteps", 12).put("numInterpolatedFrames", 3)).toJson());
        assertThat(Pricing.referenceVideo()).hasSizeGreaterThan(1000);
    }

    @Test
    void theShapeTakesTheInputsFramesOnlyWhenTheRequestMatchesThem() {
        OutpaintRequest matching = OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "p")
                .put("matchInputNumFrames", true).put("resolution", "580p"));
        OutpaintRequest counted = OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "p").put("numFrames", 97));

        assertThat(PriceShape.of(matching, () -> OptionalInt.of(57))).isEqualTo(new PriceShape(57, Resolution.P580, 30, 1));
        assertThat(PriceShape.of(counted, () -> {
            throw new AssertionError("the video is not read when the request gives its frames");
        })).isEqualTo(new PriceShape(97, Resolution.P720, 30, 1));
        assertThatThrownBy(() -> PriceShape.of(matching, OptionalInt::empty)).isInstanceOf(PriceShape.UnknownFramesException.class)
                .hasMessageContaining("give numFrames instead of matchInputNumFrames");
    }

    @Test
    void geometryAndThePromptDoNotChangeTheShape() {
        OutpaintRequest one = OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "a").put("expandRatio", 0.5));
        OutpaintRequest other = OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "b").put("aspectRatio", "1:1")
                .put("seed", 4).put("videoQuality", "low"));
        assertThat(PriceShape.of(one, OptionalInt::empty)).isEqualTo(PriceShape.of(other, OptionalInt::empty));
        assertThat(PriceShape.of(one, OptionalInt::empty).hash()).isEqualTo(PriceShape.of(other, OptionalInt::empty).hash());
    }
}
