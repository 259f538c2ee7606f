package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Scenario's side of the input check for the outpainting model: its documented inputs, defaults and ranges. */
final class ModelInputs {

    static final String MODEL_ID = "model_wan-2-2-vace-fun-a14b-outpainting";

    private enum Kind { TEXT, REQUIRED_TEXT, BOOL, INT, NUMBER, CHOICE, ASSET, ASSET_LIST }

    private record Rule(Kind kind, double min, double max, Set<String> choices) {
        static Rule of(Kind kind) { return new Rule(kind, 0, 0, Set.of()); }
        static Rule range(Kind kind, double min, double max) { return new Rule(kind, min, max, Set.of()); }
        static Rule choice(String... values) { return new Rule(Kind.CHOICE, 0, 0, Set.of(values)); }
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    static {
        RULES.put("prompt", Rule.of(Kind.REQUIRED_TEXT));
        RULES.put("videoUrl", Rule.of(Kind.ASSET));
        for (String side : List.of("expandLeft", "expandRight", "expandTop", "expandBottom")) {
            RULES.put(side, Rule.of(Kind.BOOL));
        }
        RULES.put("expandRatio", Rule.range(Kind.NUMBER, 0, 1));
        RULES.put("negativePrompt", Rule.of(Kind.TEXT));
        RULES.put("refImageUrls", Rule.range(Kind.ASSET_LIST, 0, 10));
        RULES.put("matchInputNumFrames", Rule.of(Kind.BOOL));
        RULES.put("numFrames", Rule.range(Kind.INT, 81, 241));
        RULES.put("matchInputFramesPerSecond", Rule.of(Kind.BOOL));
        RULES.put("framesPerSecond", Rule.range(Kind.INT, 5, 30));
        RULES.put("resolution", Rule.choice("720p", "580p", "480p"));
        RULES.put("aspectRatio", Rule.choice("auto", "16:9", "1:1", "9:16"));
        RULES.put("numInferenceSteps", Rule.range(Kind.INT, 2, 50));
        RULES.put("guidanceScale", Rule.range(Kind.NUMBER, 1, 10));
        RULES.put("enablePromptExpansion", Rule.of(Kind.BOOL));
        RULES.put("acceleration", Rule.choice("regular", "none"));
        RULES.put("videoQuality", Rule.choice("maximum", "high", "medium", "low"));
        RULES.put("videoWriteMode", Rule.choice("balanced", "fast", "small"));
        RULES.put("numInterpolatedFrames", Rule.range(Kind.INT, 0, 5));
        RULES.put("interpolatorModel", Rule.choice("film", "rife"));
        RULES.put("seed", Rule.range(Kind.INT, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private ModelInputs() {}

    /** Every problem with {@code body}, one message per field; empty when it is acceptable. */
    static List<String> problems(JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            return List.of("body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!RULES.containsKey(name)) {
                problems.add(name + " is not an input of " + MODEL_ID);
            }
        }
        RULES.forEach((name, rule) -> {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                if (rule.kind() == Kind.REQUIRED_TEXT || rule.kind() == Kind.ASSET) {
                    problems.add(name + " is required");
                }
                return;
            }
            String problem = check(rule, value);
            if (problem != null) {
                problems.add(name + " " + problem + " (got " + value + ")");
            }
        });
        return problems;
    }

    private static String check(Rule rule, JsonNode value) {
        return switch (rule.kind()) {
            case TEXT -> value.isTextual() ? null : "must be a string";
            case REQUIRED_TEXT -> value.isTextual() && !value.asText().isBlank() ? null : "must be a non-empty string";
            case BOOL -> value.isBoolean() ? null : "must be a boolean";
            case INT -> value.canConvertToExactIntegral() && value.isNumber()
                    && value.asDouble() >= rule.min() && value.asDouble() <= rule.max()
                    ? null : "must be an integer from " + (long) rule.min() + " to " + (long) rule.max();
            case NUMBER -> value.isNumber() && value.asDouble() >= rule.min() && value.asDouble() <= rule.max()
                    ? null : "must be a number from " + rule.min() + " to " + rule.max();
            case CHOICE -> value.isTextual() && rule.choices().contains(value.asText())
                    ? null : "must be one of " + String.join(", ", rule.choices());
            case ASSET -> value.isTextual() && value.asText().startsWith("asset_") ? null : "must be an asset id";
            case ASSET_LIST -> {
                if (!value.isArray() || value.size() > rule.max()) {
                    yield "must be a list of at most " + (int) rule.max() + " asset ids";
                }
                for (JsonNode item : value) {
                    if (!item.isTextual() || !item.asText().startsWith("asset_")) {
                        yield "must hold asset ids only";
                    }
                }
                yield null;
            }
        };
    }
}
