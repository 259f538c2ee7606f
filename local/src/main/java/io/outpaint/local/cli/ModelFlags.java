package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.FieldError;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.OutpaintRequest;
import picocli.CommandLine;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One command-line flag per model input, named as the input in kebab case ({@code --num-frames}),
 * checked by the same rules and messages as the HTTP API ({@link OutpaintRequest#fromText}).
 */
final class ModelFlags {

    /** Each input's flag help: its documented default and range. */
    static final Map<String, String> HELP = new LinkedHashMap<>();
    static {
        HELP.put("prompt", "What the outpainted area should show (submit and estimate need it; run has a default).");
        HELP.put("negativePrompt", "What it should not show.");
        HELP.put("expandLeft", "Outpaint the left side: true|false (default true).");
        HELP.put("expandRight", "Outpaint the right side: true|false (default true).");
        HELP.put("expandTop", "Outpaint the top: true|false (default true).");
        HELP.put("expandBottom", "Outpaint the bottom: true|false (default true).");
        HELP.put("expandRatio", "Share of the width/height added on each enabled side, 0 to 1 (default 0.25).");
        HELP.put("refImageUrls", "Reference images: a JSON list of up to 10 Scenario asset ids.");
        HELP.put("matchInputNumFrames", "Keep the input's frame count: true|false (default false).");
        HELP.put("numFrames", "Frames to generate, 81 to 241 (default 81).");
        HELP.put("matchInputFramesPerSecond", "Keep the input's frame rate: true|false (default false).");
        HELP.put("framesPerSecond", "Frame rate, 5 to 30 (default 16).");
        HELP.put("resolution", "720p|580p|480p (default 720p).");
        HELP.put("aspectRatio", "auto|16:9|1:1|9:16 (default auto).");
        HELP.put("numInferenceSteps", "Inference steps, 2 to 50 (default 30).");
        HELP.put("guidanceScale", "Guidance scale, 1 to 10 (default 5).");
        HELP.put("enablePromptExpansion", "Let the model expand the prompt: true|false (default false).");
        HELP.put("acceleration", "regular|none (default regular).");
        HELP.put("videoQuality", "maximum|high|medium|low (default high).");
        HELP.put("videoWriteMode", "balanced|fast|small (default balanced).");
        HELP.put("numInterpolatedFrames", "Interpolated frames, 0 to 5 (default 1).");
        HELP.put("interpolatorModel", "film|rife (default film).");
        HELP.put("seed", "Seed, 0 to 9007199254740991 (default random).");
    }

    /** The target's flags, each a part of the request's {@code target} object. */
    static final Map<String, String> TARGET = Map.of("aspectRatio", "--aspect", "anchor", "--anchor");

    /** Finishing is on unless this flag is given: the raw generation alone, as the model made it. */
    static final String NO_FINISH = "--no-finish";

    private ModelFlags() {}

    static String flag(String field) {
        return "--" + field.replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    static void addTo(CommandSpec spec) {
        for (String field : HELP.keySet()) {
            spec.addOption(OptionSpec.builder(flag(field)).paramLabel(field.equals("prompt") ? "TEXT" : "VALUE")
                    .type(String.class).description(HELP.get(field)).build());
        }
        spec.addOption(OptionSpec.builder(TARGET.get("aspectRatio")).paramLabel("W:H").type(String.class)
                .description("Reframe to this aspect ratio: " + io.outpaint.request.Target.RATIO_RULE
                        + "; instead of the expand flags and --aspect-ratio.").build());
        spec.addOption(OptionSpec.builder(TARGET.get("anchor")).paramLabel("PLACE").type(String.class)
                .description("Where the video sits in the --aspect frame: " + io.outpaint.request.Target.Anchor.allowed()
                        + " (default center).").build());
        spec.addOption(OptionSpec.builder(NO_FINISH).arity("0").type(boolean.class)
                .description("Keep the raw generation: no finishing (by default the result has the video's frame rate, length,"
                        + " sound and pixels, with the raw generation beside it).").build());
    }

    /** As {@link #read}, a bad flag becoming a usage error with one line per flag (exit 2). */
    static OutpaintRequest checked(CommandSpec spec, String defaultPrompt) {
        try {
            return read(spec, defaultPrompt);
        } catch (InvalidRequestException e) {
            StringBuilder text = new StringBuilder();
            for (FieldError error : e.errors()) {
                text.append(text.isEmpty() ? "" : "\n").append(error.field().startsWith("target") ? flagForField(error.field()) : flag(error.field()))
                        .append(error.value() == null ? ": " + error.allowed() : " " + error.value() + " is not allowed; allowed: " + error.allowed());
            }
            throw new CommandLine.ParameterException(spec.commandLine(), text.toString());
        }
    }

    /** The flag for an API field name ({@code request.numFrames} is {@code --num-frames}); other names as they are. */
    static String flagForField(String field) {
        String name = field.startsWith("request.") ? field.substring("request.".length()) : field;
        if (name.startsWith("target.") && TARGET.containsKey(name.substring("target.".length()))) {
            return TARGET.get(name.substring("target.".length()));
        }
        if (name.equals("finish")) {
            return NO_FINISH;
        }
        return HELP.containsKey(name) ? flag(name) : name.equals("target") ? TARGET.get("aspectRatio") : field;
    }

    /** The given flags as the model's inputs, validated. */
    static OutpaintRequest read(CommandSpec spec, String defaultPrompt) {
        ObjectNode inputs = new ObjectMapper().createObjectNode();
        for (String field : HELP.keySet()) {
            String value = spec.findOption(flag(field)).getValue();
            if (value == null) {
                continue;
            }
            if (field.equals("refImageUrls")) {
                try {
                    inputs.set(field, new ObjectMapper().readTree(value));
                } catch (Exception e) {
                    inputs.put(field, value);
                }
            } else {
                inputs.put(field, value);
            }
        }
        TARGET.forEach((part, flag) -> {
            String value = spec.findOption(flag).getValue();
            if (value != null) {
                (inputs.has("target") ? (ObjectNode) inputs.get("target") : inputs.putObject("target")).put(part, value);
            }
        });
        if (Boolean.TRUE.equals(spec.findOption(NO_FINISH).getValue())) {
            inputs.put("finish", false);
        }
        if (!inputs.has("prompt") && defaultPrompt != null) {
            inputs.put("prompt", defaultPrompt);
        }
        return OutpaintRequest.fromText(inputs);
    }
}
