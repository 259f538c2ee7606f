package io.outpaint.segments;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** The plan {@link #write} wrote (with its seed; 0 when it was not shown). */
    public static SegmentPlan read(JsonNode json) {
        java.util.List<SegmentPlan.Segment> segments = new java.util.ArrayList<>();
        for (JsonNode o : json.path("each")) {
            segments.add(new SegmentPlan.Segment(o.path("index").asInt(), o.path("firstFrame").asLong(), o.path("endFrame").asLong(),
                    o.path("overlapWithPrevious").asLong(), o.path("generatedFrames").asInt(), o.path("endsAtSceneChange").asBoolean()));
        }
        return new SegmentPlan(json.path("sourceFrames").asLong(), json.path("sourceFps").asDouble(), json.path("generationFps").asDouble(),
                json.path("overlapFrames").asInt(), json.path("overlapSourceFrames").asInt(), json.path("seed").asLong(), segments);
    }
}
