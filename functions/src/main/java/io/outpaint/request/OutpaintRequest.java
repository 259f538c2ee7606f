package io.outpaint.request;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.Choices.Acceleration;
import io.outpaint.request.Choices.AspectRatio;
import io.outpaint.request.Choices.InterpolatorModel;
import io.outpaint.request.Choices.Resolution;
import io.outpaint.request.Choices.VideoQuality;
import io.outpaint.request.Choices.VideoWriteMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs of {@code model_wan-2-2-vace-fun-a14b-outpainting}, validated, with Scenario's defaults
 * applied. Serializes in Scenario's camelCase names; {@code numFrames} and {@code framesPerSecond}
 * are null (not sent) when the matching {@code matchInput...} flag is on. {@code videoUrl} is not
 * part of it: the pipeline sets it to the uploaded video's asset id ({@link #toScenarioBody}).
 * A {@link Target} stands in for the geometry inputs (the sides, {@code expandRatio}, {@code aspectRatio}) until the
 * input is probed and {@link #framed} by its {@link FramingPlan}; only then can it be sent.
 * {@code finish} is ours, not the model's: whether the pipeline finishes the generation (on unless
 * {@code false}); it is never sent to Scenario.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutpaintRequest(
        String prompt,
        boolean expandLeft, boolean expandRight, boolean expandTop, boolean expandBottom,
        double expandRatio,
        String negativePrompt,
        List<String> refImageUrls,
        boolean matchInputNumFrames, Integer numFrames,
        boolean matchInputFramesPerSecond, Integer framesPerSecond,
        Resolution resolution, AspectRatio aspectRatio,
        int numInferenceSteps, double guidanceScale,
        boolean enablePromptExpansion,
        Acceleration acceleration, VideoQuality videoQuality, VideoWriteMode videoWriteMode,
        int numInterpolatedFrames, InterpolatorModel interpolatorModel,
        Long seed,
        @JsonIgnore Optional<Target> target,
        @JsonIgnore boolean finish) {

    public static final String MODEL_ID = "model_wan-2-2-vace-fun-a14b-outpainting";
    public static final int MAX_PROMPT_CHARS = 10_000;
    public static final long MAX_SEED = 9_007_199_254_740_991L; // 2^53 - 1, exact in every JSON reader

    public static final Set<String> FIELDS = Set.of("prompt", "expandLeft", "expandRight", "expandTop",
            "expandBottom", "expandRatio", "negativePrompt", "refImageUrls", "matchInputNumFrames", "numFrames",
            "matchInputFramesPerSecond", "framesPerSecond", "resolution", "aspectRatio", "numInferenceSteps",
            "guidanceScale", "enablePromptExpansion", "acceleration", "videoQuality", "videoWriteMode",
            "numInterpolatedFrames", "interpolatorModel", "seed", "target", "finish");
    /** The inputs a target decides: given with a target, they are refused. */
    public static final List<String> GEOMETRY = List.of("expandLeft", "expandRight", "expandTop", "expandBottom",
            "expandRatio", "aspectRatio");

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    public OutpaintRequest {
        refImageUrls = refImageUrls == null ? null : List.copyOf(refImageUrls);
        target = target == null ? Optional.empty() : target;
    }

    /** Validates JSON inputs, reporting every bad field at once. */
    public static OutpaintRequest fromJson(JsonNode json) {
        return read(json, false);
    }

    /** As {@link #fromJson}, but values may be strings too, as in S3 metadata or command-line flags. */
    public static OutpaintRequest fromText(JsonNode json) {
        return read(json, true);
    }

    private static OutpaintRequest read(JsonNode json, boolean fromText) {
        if (json == null || !json.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("(body)", null, "a JSON object of the model's inputs")));
        }
        FieldReader in = new FieldReader(json, fromText);
        in.rejectUnknown(FIELDS, "the model's inputs are " + String.join(", ", new java.util.TreeSet<>(FIELDS))
                + (json.has("videoUrl") ? " (videoUrl is set by the pipeline from the uploaded video)" : ""));
        String prompt = in.text("prompt", true, MAX_PROMPT_CHARS);
        boolean left = in.bool("expandLeft", true);
        boolean right = in.bool("expandRight", true);
        boolean top = in.bool("expandTop", true);
        boolean bottom = in.bool("expandBottom", true);
        double ratio = in.decimal("expandRatio", 0.25, 0, 1);
        String negative = in.text("negativePrompt", false, MAX_PROMPT_CHARS);
        List<String> refs = in.assetIds("refImageUrls", 10);
        boolean matchFrames = in.bool("matchInputNumFrames", false);
        Long frames = in.integer("numFrames", (long) FrameLimits.MIN_FRAMES, FrameLimits.MIN_FRAMES, FrameLimits.MAX_FRAMES);
        boolean matchFps = in.bool("matchInputFramesPerSecond", false);
        Long fps = in.integer("framesPerSecond", (long) FrameLimits.DEFAULT_FPS, FrameLimits.MIN_FPS, FrameLimits.MAX_FPS);
        Resolution resolution = in.choice("resolution", Resolution.class, Resolution.P720);
        AspectRatio aspect = in.choice("aspectRatio", AspectRatio.class, AspectRatio.AUTO);
        Long steps = in.integer("numInferenceSteps", 30L, 2, 50);
        double guidance = in.decimal("guidanceScale", 5, 1, 10);
        boolean expansion = in.bool("enablePromptExpansion", false);
        Acceleration acceleration = in.choice("acceleration", Acceleration.class, Acceleration.REGULAR);
        VideoQuality quality = in.choice("videoQuality", VideoQuality.class, VideoQuality.HIGH);
        VideoWriteMode writeMode = in.choice("videoWriteMode", VideoWriteMode.class, VideoWriteMode.BALANCED);
        Long interpolated = in.integer("numInterpolatedFrames", 1L, 0, 5);
        InterpolatorModel interpolator = in.choice("interpolatorModel", InterpolatorModel.class, InterpolatorModel.FILM);
        Long seed = in.integer("seed", null, 0, MAX_SEED);
        Optional<Target> target = in.target("target");
        boolean finish = in.bool("finish", true);

        if (in.has("target")) {
            for (String raw : GEOMETRY) {
                if (in.has(raw)) {
                    in.reject(raw, "leave it out when target is given (the target decides the sides, expandRatio and aspectRatio);"
                            + " give either target or the raw " + String.join(", ", GEOMETRY));
                }
            }
        } else if (!(left || right || top || bottom)) {
            in.reject("expandLeft", "at least one of expandLeft, expandRight, expandTop, expandBottom must be true, else nothing is outpainted");
        }
        if (matchFrames && in.has("numFrames")) {
            in.reject("numFrames", "leave it out when matchInputNumFrames is true (the input's frame count is used)");
        }
        if (matchFps && in.has("framesPerSecond")) {
            in.reject("framesPerSecond", "leave it out when matchInputFramesPerSecond is true (the input's rate is used)");
        }
        if (!in.errors().isEmpty()) {
            throw new InvalidRequestException(new ArrayList<>(in.errors()));
        }
        return new OutpaintRequest(prompt, left, right, top, bottom, ratio, negative, refs,
                matchFrames, matchFrames ? null : frames.intValue(), matchFps, matchFps ? null : fps.intValue(),
                resolution, aspect, steps.intValue(), guidance, expansion, acceleration, quality, writeMode,
                interpolated.intValue(), interpolator, seed, target, finish);
    }

    /** These inputs with the geometry {@code plan} chose for the target: the raw request Scenario is sent. */
    public OutpaintRequest framed(FramingPlan plan) {
        return new OutpaintRequest(prompt, plan.expands(FramingPlan.Side.LEFT), plan.expands(FramingPlan.Side.RIGHT),
                plan.expands(FramingPlan.Side.TOP), plan.expands(FramingPlan.Side.BOTTOM), plan.expandRatio(), negativePrompt,
                refImageUrls, matchInputNumFrames, numFrames, matchInputFramesPerSecond, framesPerSecond, resolution,
                plan.aspectRatio(), numInferenceSteps, guidanceScale, enablePromptExpansion, acceleration, videoQuality,
                videoWriteMode, numInterpolatedFrames, interpolatorModel, seed, Optional.empty(), finish);
    }

    /**
     * This request as JSON, in Scenario's names; with a target, the target in place of the geometry inputs;
     * {@code "finish": false} only when finishing is off (a record of a default request reads as before it existed).
     */
    public ObjectNode toJson() {
        ObjectNode json = JSON.valueToTree(this);
        target.ifPresent(t -> {
            GEOMETRY.forEach(json::remove);
            json.putObject("target").put("aspectRatio", t.aspectRatio()).put("anchor", t.anchor().wire());
        });
        if (!finish) {
            json.put("finish", false);
        }
        return json;
    }

    /** The body of {@code POST /v1/generate/custom/{model}}: these inputs plus {@code videoUrl}. */
    public ObjectNode toScenarioBody(String videoAssetId) {
        if (!io.outpaint.scenario.ScenarioIds.isAssetId(videoAssetId)) {
            throw new IllegalArgumentException("not a Scenario asset id: " + videoAssetId);
        }
        if (target.isPresent()) {
            throw new IllegalStateException("a request with a target is sent once framed by its plan (framed)");
        }
        ObjectNode body = toJson();
        body.remove("finish"); // ours, not a model input
        body.put("videoUrl", videoAssetId);
        return body;
    }
}
