package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.request.OutpaintRequest;
import org.junit.jupiter.api.Test;

/** The CLI's model flags restate the model's inputs: they must stay the same set as the request's fields. */
class ModelFlagsTest {

    @Test
    void everyModelInputHasAFlagAndEveryFlagIsAModelInput() {
        assertThat(ModelFlags.HELP.keySet()).containsExactlyInAnyOrderElementsOf(OutpaintRequest.FIELDS);
        assertThat(ModelFlags.flag("numInterpolatedFrames")).isEqualTo("--num-interpolated-frames");
    }
}
