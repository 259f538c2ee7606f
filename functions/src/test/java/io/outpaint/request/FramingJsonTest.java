package io.outpaint.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.Target.Anchor;
import org.junit.jupiter.api.Test;

class FramingJsonTest {

    private static final FramingPlan CROPPED = TargetPlanner.plan(1920, 1080, new Target(9, 16, Anchor.CENTER));

    @Test
    void showsThePlanWithItsCropInWireNames() throws Exception {
        assertThat(FramingJson.write(CROPPED).toString()).isEqualTo("{\"input\":{\"width\":1920,\"height\":1080},"
                + "\"sides\":[\"top\",\"bottom\"],\"expandRatio\":0.9968,\"aspectRatio\":\"auto\","
                + "\"canvas\":{\"width\":1818,\"height\":3232},\"source\":{\"x\":0,\"y\":1076,\"width\":1818,\"height\":1080},"
                + "\"crop\":{\"x\":51,\"y\":0,\"width\":1818,\"height\":1080},\"modelCanvas\":{\"width\":1920,\"height\":3232}}");
    }

    @Test
    void leavesCropOutWhenTheWholeSourceIsKept() {
        assertThat(FramingJson.write(TargetPlanner.plan(1920, 1080, new Target(1, 1, Anchor.CENTER))).has("crop")).isFalse();
    }

    @Test
    void refusesAPlanWithAnUnknownOrMissingFieldNamingItsPath() {
        ObjectNode extra = FramingJson.write(CROPPED);
        ((ObjectNode) extra.get("canvas")).put("depth", 3);
        assertThatThrownBy(() -> FramingJson.read(extra)).hasMessageContaining("field 'canvas.depth' must be absent");
        ObjectNode missing = FramingJson.write(CROPPED);
        missing.remove("expandRatio");
        assertThatThrownBy(() -> FramingJson.read(missing)).hasMessageContaining("field 'expandRatio' must be present");
        ObjectNode side = FramingJson.write(CROPPED);
        side.withArray("sides").add("front");
        assertThatThrownBy(() -> FramingJson.read(side)).hasMessageContaining("field 'sides[]' must be one of [left, right, top, bottom]");
    }
}
