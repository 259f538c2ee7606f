package io.outpaint.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentJsonTest {

    @Test
    void showsEachSegmentsSourceRangeAndGeneratedFrames() throws Exception {
        SegmentPlan plan = SegmentPlanner.plan(960, 24, 16, SegmentRules.model(), List.of(), 42);
        assertThat(SegmentJson.write(plan, true).toString()).isEqualTo(Json.MAPPER.readTree("""
                {"count": 3, "overlapFrames": 8, "overlapSourceFrames": 12, "sourceFrames": 960, "sourceFps": 24.0,
                 "generationFps": 16.0, "generatedFrames": 657, "seed": 42,
                 "each": [{"index": 0, "firstFrame": 0, "endFrame": 361, "overlapWithPrevious": 0, "generatedFrames": 241},
                          {"index": 1, "firstFrame": 349, "endFrame": 710, "overlapWithPrevious": 12, "generatedFrames": 241},
                          {"index": 2, "firstFrame": 698, "endFrame": 960, "overlapWithPrevious": 12, "generatedFrames": 175}]}
                """).toString()); // as text: the tree's int and long nodes differ where the JSON does not
    }

    @Test
    void leavesTheSeedOutWhenTheJobWillChooseIt() {
        assertThat(SegmentJson.write(SegmentPlanner.plan(100, 16, 16, SegmentRules.model(), List.of(), 42), false).has("seed")).isFalse();
    }
}
