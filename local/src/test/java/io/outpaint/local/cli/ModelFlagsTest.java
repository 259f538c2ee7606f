package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpaint.request.OutpaintRequest;
import io.outpaint.request.Target;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import org.junit.jupiter.api.Test;

/** The CLI's model flags restate the model's inputs: they must stay the same set as the request's fields. */
class ModelFlagsTest {

    @Test
    void everyModelInputHasAFlagAndEveryFlagIsAModelInput() {
        java.util.Set<String> flagged = new java.util.HashSet<>(ModelFlags.HELP.keySet());
        flagged.add("target"); // --aspect and --anchor
        flagged.add("finish"); // --no-finish
        assertThat(flagged).containsExactlyInAnyOrderElementsOf(OutpaintRequest.FIELDS);
        assertThat(ModelFlags.flag("numInterpolatedFrames")).isEqualTo("--num-interpolated-frames");
    }

    private static CommandSpec parsed(String... args) {
        CommandSpec spec = CommandSpec.create();
        ModelFlags.addTo(spec);
        new CommandLine(spec).parseArgs(args);
        return spec;
    }

    @Test
    void aspectAndAnchorGiveTheRequestsTarget() {
        OutpaintRequest request = ModelFlags.read(parsed("--aspect", "9:16", "--anchor", "top"), "a beach");
        assertThat(request.target()).contains(new Target(9, 16, Target.Anchor.TOP));
        assertThat(request.toJson().has("expandRatio")).isFalse();
    }

    @Test
    void aBadAspectIsAUsageErrorNamingTheFlag() {
        assertThatThrownBy(() -> ModelFlags.checked(parsed("--aspect", "9x16", "--anchor", "middle"), "p"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--aspect \"9x16\" is not allowed; allowed: 9:16, 1:1, 4:5, 16:9, 21:9")
                .hasMessageContaining("--anchor \"middle\" is not allowed; allowed: one of center, top, bottom, left, right");
    }

    @Test
    void anAspectBesideTheExpandFlagsIsRefusedNamingThem() {
        assertThatThrownBy(() -> ModelFlags.checked(parsed("--aspect", "1:1", "--expand-ratio", "0.5"), "p"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--expand-ratio: leave it out when target is given");
    }
}
