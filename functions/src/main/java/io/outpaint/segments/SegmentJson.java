package io.outpaint.segments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.json.Json;

/** A {@link SegmentPlan} as the API shows it. */
public final class SegmentJson {

    private SegmentJson() {}

    /** The plan; its seed only when {@code showSeed} (an estimate's seed is the request's, or chosen when the job is created). */
    public static ObjectNode write(SegmentPlan plan, boolean showSeed) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("count", plan.count());
        json.put("overlapFrames", plan.overlapFrames());
        json.put("overlapSourceFrames", plan.overlapSourceFrames());
        json.put("sourceFrames", plan.sourceFrames());
        json.put("sourceFps", plan.sourceFps());
        json.put("generationFps", plan.generationFps());
        json.put("generatedFrames", plan.totalFrames());
        if (showSeed) {
            json.put("seed", plan.seed());
        }
        ArrayNode each = json.putArray("each");
        for (SegmentPlan.Segment s : plan.segments()) {
            ObjectNode o = each.addObject();
            o.put("index", s.index()).put("firstFrame", s.firstFrame()).put("endFrame", s.endFrame())
                    .put("overlapWithPrevious", s.overlapWithPrevious()).put("generatedFrames", s.generatedFrames());
            if (s.endsAtSceneChange()) {
                o.put("endsAtSceneChange", true);
            }
        }
        return json;
    }
}
