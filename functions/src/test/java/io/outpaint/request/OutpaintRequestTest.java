package io.outpaint.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutpaintRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<FieldError> errorsOf(String text) {
        try {
            OutpaintRequest.fromJson(json(text));
        } catch (InvalidRequestException e) {
            return e.errors();
        }
        throw new AssertionError("expected " + text + " to be refused");
    }

    @Test
    void appliesScenariosDocumentedDefaults() {
        OutpaintRequest r = OutpaintRequest.fromJson(json("{'prompt':'a beach'}"));
        assertThat(r.toJson()).isEqualTo(json("""
                {'prompt':'a beach','expandLeft':true,'expandRight':true,'expandTop':true,'expandBottom':true,
                 'expandRatio':0.25,'matchInputNumFrames':false,'numFrames':81,'matchInputFramesPerSecond':false,
                 'framesPerSecond':16,'resolution':'720p','aspectRatio':'auto','numInferenceSteps':30,
                 'guidanceScale':5.0,'enablePromptExpansion':false,'acceleration':'regular','videoQuality':'high',
                 'videoWriteMode':'balanced','numInterpolatedFrames':1,'interpolatorModel':'film'}"""));
    }

    @Test
    void finishesByDefaultAndRecordsOnlyAFinishTurnedOff() {
        assertThat(OutpaintRequest.fromJson(json("{'prompt':'p'}")).finish()).isTrue();
        assertThat(OutpaintRequest.fromJson(json("{'prompt':'p'}")).toJson().has("finish")).isFalse();
        OutpaintRequest off = OutpaintRequest.fromJson(json("{'prompt':'p','finish':false}"));
        assertThat(off.finish()).isFalse();
        assertThat(off.toJson().path("finish").asBoolean(true)).isFalse();
        assertThat(OutpaintRequest.fromJson(off.toJson()).finish()).as("read back from the record").isFalse();
        assertThat(OutpaintRequest.fromText(json("{'prompt':'p','finish':'false'}")).finish()).as("S3 metadata, CLI").isFalse();
    }

    @Test
    void neverSendsFinishToScenario() {
        JsonNode body = OutpaintRequest.fromJson(json("{'prompt':'p','finish':false}")).toScenarioBody("asset_abc123");
        assertThat(body.has("finish")).isFalse();
    }

    @Test
    void refusesAFinishThatIsNotABoolean() {
        assertThat(errorsOf("{'prompt':'p','finish':'no'}")).extracting(FieldError::field).containsExactly("finish");
    }

    @Test
    void sendsTheUploadedVideosAssetIdAsVideoUrl() {
        JsonNode body = OutpaintRequest.fromJson(json("{'prompt':'p','seed':42,'refImageUrls':['asset_ref1']}"))
                .toScenarioBody("asset_abc123");
        assertThat(body.path("videoUrl").asText()).isEqualTo("asset_abc123");
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("refImageUrls").get(0).asText()).isEqualTo("asset_ref1");
    }

    @ParameterizedTest(name = "{0}={1} is accepted")
    @CsvSource({"expandRatio,0", "expandRatio,1", "numFrames,81", "numFrames,241", "framesPerSecond,5",
            "framesPerSecond,30", "numInferenceSteps,2", "numInferenceSteps,50", "guidanceScale,1",
            "guidanceScale,10", "numInterpolatedFrames,0", "numInterpolatedFrames,5", "seed,0",
            "seed,9007199254740991"})
    void acceptsEveryBound(String field, String value) {
        JsonNode body = OutpaintRequest.fromJson(json("{'prompt':'p','" + field + "':" + value + "}")).toJson();
        assertThat(body.path(field).decimalValue()).isEqualByComparingTo(value);
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "expandRatio|-0.01|a number from 0 to 1", "expandRatio|1.01|a number from 0 to 1",
            "numFrames|80|an integer from 81 to 241", "numFrames|242|an integer from 81 to 241",
            "numFrames|100.5|an integer from 81 to 241",
            "framesPerSecond|4|an integer from 5 to 30", "framesPerSecond|31|an integer from 5 to 30",
            "numInferenceSteps|1|an integer from 2 to 50", "numInferenceSteps|51|an integer from 2 to 50",
            "guidanceScale|0.99|a number from 1 to 10", "guidanceScale|10.5|a number from 1 to 10",
            "numInterpolatedFrames|-1|an integer from 0 to 5", "numInterpolatedFrames|6|an integer from 0 to 5",
            "seed|-1|an integer from 0 to 9007199254740991",
            "resolution|'1080p'|one of 720p, 580p, 480p", "aspectRatio|'4:3'|one of auto, 16:9, 1:1, 9:16",
            "acceleration|'fast'|one of regular, none", "videoQuality|'ultra'|one of maximum, high, medium, low",
            "videoWriteMode|'slow'|one of balanced, fast, small", "interpolatorModel|'dain'|one of film, rife",
            "expandLeft|'yes'|true or false",
            "prompt|''|a non-empty string (a visible character at least, not only spaces or invisible ones such as a byte-order mark or a zero-width space) of at most 10000 characters, no control characters other than tab and newline, and well-formed Unicode",
            "refImageUrls|['https://x/y.png']|a list of at most 10 Scenario asset ids (asset_...)"})
    void refusesOutOfRangeValuesNamingFieldValueAndAllowed(String field, String value, String allowed) {
        List<FieldError> errors = errorsOf("{'prompt':'p','" + field + "':" + value + "}");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.value()).isEqualTo(json("{'v':" + value + "}").get("v").toString());
            assertThat(e.allowed()).isEqualTo(allowed);
        });
    }

    @Test
    void refusesMoreThanTenReferenceImages() {
        String eleven = "['asset_1','asset_2','asset_3','asset_4','asset_5','asset_6','asset_7','asset_8','asset_9','asset_10','asset_11']";
        assertThat(errorsOf("{'prompt':'p','refImageUrls':" + eleven + "}")).extracting(FieldError::field)
                .containsExactly("refImageUrls");
    }

    @Test
    void requiresAPrompt() {
        assertThat(errorsOf("{}")).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("prompt");
            assertThat(e.message()).isEqualTo("prompt: required, a non-empty string");
        });
    }

    @Test
    void refusesUnknownFieldsIncludingFalAiSnakeCaseNames() {
        List<FieldError> errors = errorsOf("{'prompt':'p','num_frames':81,'videoUrl':'asset_x'}");
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("num_frames", "videoUrl");
        assertThat(errors.get(0).allowed()).contains("numFrames").contains("videoUrl is set by the pipeline");
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        List<FieldError> errors = errorsOf("{'numFrames':500,'resolution':'4k','guidanceScale':0,'extra':1}");
        assertThat(errors).extracting(FieldError::field)
                .containsExactlyInAnyOrder("extra", "prompt", "numFrames", "resolution", "guidanceScale");
    }

    @Test
    void refusesTurningEverySideOff() {
        List<FieldError> errors = errorsOf(
                "{'prompt':'p','expandLeft':false,'expandRight':false,'expandTop':false,'expandBottom':false}");
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.allowed()).contains("at least one of expandLeft"));
    }

    @Test
    void oneSideIsEnough() {
        OutpaintRequest r = OutpaintRequest.fromJson(
                json("{'prompt':'p','expandLeft':false,'expandRight':false,'expandTop':false}"));
        assertThat(r.expandBottom()).isTrue();
    }

    @Test
    void doesNotSendFrameCountOrRateWhenMatchingTheInput() {
        JsonNode body = OutpaintRequest.fromJson(
                json("{'prompt':'p','matchInputNumFrames':true,'matchInputFramesPerSecond':true}")).toScenarioBody("asset_v");
        assertThat(body.has("numFrames")).isFalse();
        assertThat(body.has("framesPerSecond")).isFalse();
        assertThat(body.path("matchInputNumFrames").asBoolean()).isTrue();
    }

    @Test
    void refusesAFrameCountThatTheMatchFlagWouldIgnore() {
        assertThat(errorsOf("{'prompt':'p','matchInputNumFrames':true,'numFrames':100,"
                + "'matchInputFramesPerSecond':true,'framesPerSecond':24}"))
                .extracting(FieldError::field).containsExactlyInAnyOrder("numFrames", "framesPerSecond");
    }

    @Test
    void readsStringValuesFromMetadataOrFlags() {
        OutpaintRequest r = OutpaintRequest.fromText(json(
                "{'prompt':'p','numFrames':'121','expandTop':'false','guidanceScale':'7.5'}"));
        assertThat(r.numFrames()).isEqualTo(121);
        assertThat(r.expandTop()).isFalse();
        assertThat(r.guidanceScale()).isEqualTo(7.5);
        assertThatThrownBy(() -> OutpaintRequest.fromJson(json("{'prompt':'p','numFrames':'121'}")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("numFrames");
    }

    @Test
    void aNumberThatIsNotOneSaysTheFieldsOwnRange() {
        assertThatThrownBy(() -> OutpaintRequest.fromText(json("{'prompt':'p','numFrames':'abc','guidanceScale':'x'}")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::allowed)
                        .containsExactly(tuple("numFrames", "an integer from 81 to 241, in at most 40 characters"),
                                tuple("guidanceScale", "a number from 1 to 10, in at most 40 characters")));
        assertThatThrownBy(() -> OutpaintRequest.fromJson(json("{'prompt':'p','numFrames':'121'}")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::allowed).containsExactly("an integer from 81 to 241"));
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        assertThatThrownBy(() -> OutpaintRequest.fromJson(json("['prompt']")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("a JSON object");
    }

    @Test
    void roundTripsThroughItsOwnJson() {
        OutpaintRequest r = OutpaintRequest.fromJson(json("{'prompt':'p','resolution':'480p','aspectRatio':'9:16','seed':7}"));
        assertThat(OutpaintRequest.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void takesATargetInPlaceOfTheGeometryInputs() {
        OutpaintRequest r = OutpaintRequest.fromJson(json("{'prompt':'p','target':{'aspectRatio':'9:16','anchor':'top'}}"));
        assertThat(r.target()).contains(new Target(9, 16, Target.Anchor.TOP));
        assertThat(r.toJson().path("target")).isEqualTo(json("{'aspectRatio':'9:16','anchor':'top'}"));
        assertThat(r.toJson().has("expandLeft")).isFalse();
        assertThat(r.toJson().has("aspectRatio")).isFalse();
        assertThat(OutpaintRequest.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void anchorsATargetAtTheCenterByDefault() {
        assertThat(OutpaintRequest.fromJson(json("{'prompt':'p','target':{'aspectRatio':'4:5'}}")).target())
                .contains(new Target(4, 5, Target.Anchor.CENTER));
    }

    @Test
    void refusesATargetGivenWithRawGeometryNamingEachRawField() {
        assertThat(errorsOf("{'prompt':'p','target':{'aspectRatio':'1:1'},'expandTop':false,'expandRatio':0.5,'aspectRatio':'1:1'}"))
                .extracting(FieldError::field).containsExactly("expandTop", "expandRatio", "aspectRatio");
        assertThat(errorsOf("{'prompt':'p','target':{'aspectRatio':'1:1'},'expandLeft':true}")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("leave it out when target is given"));
    }

    @ParameterizedTest(name = "target {0} is refused at {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{'aspectRatio':'9x16'}                    | target.aspectRatio",
            "{'aspectRatio':'0:1'}                     | target.aspectRatio",
            "{'aspectRatio':'101:100'}                 | target.aspectRatio",
            "{'aspectRatio':'5:1'}                     | target.aspectRatio",
            "{'aspectRatio':916}                       | target.aspectRatio",
            "{}                                        | target.aspectRatio",
            "{'aspectRatio':'9:16','anchor':'middle'}  | target.anchor",
            "{'aspectRatio':'9:16','placement':'top'}  | target.placement",
            "'9:16'                                    | target"})
    void refusesABadTargetNamingItsPartAndTheAllowedValues(String target, String field) {
        List<FieldError> errors = errorsOf("{'prompt':'p','target':" + target + "}");
        assertThat(errors).extracting(FieldError::field).containsExactly(field);
        assertThat(errors.get(0).allowed()).containsAnyOf(Target.RATIO_RULE, "center, top, bottom, left, right",
                "aspectRatio, anchor", "an object");
    }

    @Test
    void readsATargetFromTextAsMetadataAndFlagsGiveIt() {
        assertThat(OutpaintRequest.fromText(json("{'prompt':'p','target':{'aspectRatio':' 21:9 ','anchor':'left'}}")).target())
                .contains(new Target(21, 9, Target.Anchor.LEFT));
    }

    @Test
    void sendsAFramedTargetAsTheRawInputsOfItsPlan() {
        OutpaintRequest r = OutpaintRequest.fromJson(json("{'prompt':'p','target':{'aspectRatio':'1:1','anchor':'top'}}"));
        assertThatThrownBy(() -> r.toScenarioBody("asset_a")).isInstanceOf(IllegalStateException.class);
        JsonNode body = r.framed(TargetPlanner.plan(1920, 1080, r.target().orElseThrow())).toScenarioBody("asset_a");
        assertThat(body.has("target")).isFalse();
        assertThat(body.path("expandLeft").asBoolean()).isFalse();
        assertThat(body.path("expandRight").asBoolean()).isFalse();
        assertThat(body.path("expandTop").asBoolean()).isFalse();
        assertThat(body.path("expandBottom").asBoolean()).isTrue();
        assertThat(body.path("expandRatio").asDouble()).isEqualTo(0.7783);
        assertThat(body.path("aspectRatio").asText()).isEqualTo("1:1");
    }
}
