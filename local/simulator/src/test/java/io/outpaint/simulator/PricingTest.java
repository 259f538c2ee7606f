package io.outpaint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PricingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode input(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void theDefaultsCostFortyEight() throws Exception {
        // 20 * 81/81 * 2.25 * 30/30 * 21/20 = 47.25, rounded up
        assertThat(Pricing.cost(input("{\"prompt\":\"p\"}"), 33)).isEqualTo(48);
    }

    @Test
    void framesTierStepsAndInterpolationEachChangeThePrice() throws Exception {
        assertThat(Pricing.cost(input("{\"numFrames\":162}"), 0)).isEqualTo(95);            // 94.5 up
        assertThat(Pricing.cost(input("{\"resolution\":\"480p\"}"), 0)).isEqualTo(21);       // 21
        assertThat(Pricing.cost(input("{\"resolution\":\"580p\"}"), 0)).isEqualTo(32);       // 31.5 up
        assertThat(Pricing.cost(input("{\"numInferenceSteps\":10}"), 0)).isEqualTo(16);      // 15.75 up
        assertThat(Pricing.cost(input("{\"numInterpolatedFrames\":0}"), 0)).isEqualTo(45);   // 45 exactly, no drift
    }

    @Test
    void matchingTheInputsFramesPricesTheInputsFrameCount() throws Exception {
        assertThat(Pricing.cost(input("{\"matchInputNumFrames\":true,\"resolution\":\"480p\",\"numInterpolatedFrames\":0}"), 162))
                .isEqualTo(40);
    }

    @Test
    void geometryQualitySeedAndPromptLeaveThePriceAlone() throws Exception {
        assertThat(Pricing.cost(input("{\"prompt\":\"another\",\"expandRatio\":0.9,\"aspectRatio\":\"9:16\",\"expandTop\":false,"
                + "\"guidanceScale\":9,\"videoQuality\":\"low\",\"seed\":7,\"acceleration\":\"none\",\"framesPerSecond\":30,"
                + "\"interpolatorModel\":\"rife\",\"videoWriteMode\":\"small\"}"), 0)).isEqualTo(48);
    }
}
