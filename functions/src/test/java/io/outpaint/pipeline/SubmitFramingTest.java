package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.request.FramingJson;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.Target;
import io.outpaint.request.TargetPlanner;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What Submit sends for a job with a target: the request framed by the plan UploadInput recorded. */
class SubmitFramingTest {

    private static Job job(ObjectNode request) {
        return Job.queued("api-1", request, new Job.Source("api", "b", "inputs/a.mp4", null, null, 1L, "video/mp4"), null, null,
                Instant.parse("2026-12-04T10:00:00Z"), 7);
    }

    @Test
    void sendsTheRecordedPlansSidesRatioAndAspect() {
        ObjectNode request = io.outpaint.json.Json.MAPPER.createObjectNode().put("prompt", "p");
        request.putObject("target").put("aspectRatio", "9:16");
        Job planned = job(request).withFraming(FramingJson.write(TargetPlanner.plan(1920, 1080, new Target(9, 16, Target.Anchor.CENTER))),
                Instant.parse("2026-12-04T10:00:01Z"));
        OutpaintRequest sent = Submit.framed(planned);
        assertThat(sent.target()).isEmpty();
        assertThat(sent.expandLeft()).isFalse();
        assertThat(sent.expandRight()).isFalse();
        assertThat(sent.expandTop()).isTrue();
        assertThat(sent.expandBottom()).isTrue();
        assertThat(sent.expandRatio()).isEqualTo(0.9968);
        assertThat(sent.toScenarioBody("asset_v").path("aspectRatio").asText()).isEqualTo("auto");
    }

    @Test
    void refusesToSendATargetWithoutAPlan() {
        ObjectNode request = io.outpaint.json.Json.MAPPER.createObjectNode().put("prompt", "p");
        request.putObject("target").put("aspectRatio", "1:1");
        assertThatThrownBy(() -> Submit.framed(job(request))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no framing plan");
    }

    @Test
    void sendsARawRequestAsItIs() {
        ObjectNode request = io.outpaint.json.Json.MAPPER.createObjectNode().put("prompt", "p").put("expandRatio", 0.4);
        assertThat(Submit.framed(job(request))).isEqualTo(OutpaintRequest.fromJson(request));
    }
}
