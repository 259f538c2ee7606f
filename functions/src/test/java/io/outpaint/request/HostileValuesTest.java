package io.outpaint.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values made to break a parser: each is a field error naming the field, never an exception of another kind. */
class HostileValuesTest {

    private static final List<String> NUMBERS = List.of("expandRatio", "numFrames", "framesPerSecond", "numInferenceSteps",
            "guidanceScale", "numInterpolatedFrames", "seed");

    private static JsonNode strict(String text) {
        return StrictJson.read(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    private static List<FieldError> errors(Runnable parse) {
        try {
            parse.run();
        } catch (InvalidRequestException e) {
            return e.errors();
        }
        throw new AssertionError("expected a refusal");
    }

    @ParameterizedTest(name = "every numeric input refuses {0}")
    @ValueSource(strings = {"1e999", "-1e999", "1e-999", "1E+2147483647", "123456789012345678901234567890"})
    void refusesOverflowingNumbersInEveryNumericField(String number) {
        for (String field : NUMBERS) {
            if (field.equals("expandRatio") && number.equals("1e-999")) {
                continue; // a tiny positive ratio lies in [0, 1]; refused only where an integer is due
            }
            JsonNode body = strict("{\"prompt\":\"p\",\"" + field + "\":" + number + "}");
            assertThat(errors(() -> OutpaintRequest.fromJson(body))).as(field + "=" + number).extracting(FieldError::field).containsExactly(field);
        }
    }

    @Test
    void aNonFiniteDoubleFromAnotherReaderIsAFieldErrorToo() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("prompt", "p").put("guidanceScale", Double.POSITIVE_INFINITY);
        assertThat(errors(() -> OutpaintRequest.fromJson(body))).singleElement()
                .satisfies(e -> assertThat(e.allowed()).contains("finite"));
    }

    @ParameterizedTest(name = "integers refuse {0}")
    @ValueSource(strings = {"81.5", "81.000001", "1e-1"})
    void refusesFractionsWhereAnIntegerIsDue(String number) {
        for (String field : List.of("numFrames", "framesPerSecond", "numInferenceSteps", "numInterpolatedFrames", "seed")) {
            JsonNode body = strict("{\"prompt\":\"p\",\"" + field + "\":" + number + "}");
            assertThat(errors(() -> OutpaintRequest.fromJson(body))).as(field).extracting(FieldError::field).containsExactly(field);
        }
    }

    @ParameterizedTest(name = "metadata value {0} is a field error")
    @ValueSource(strings = {"1e999", "-1e999", "NaN", "Infinity", "0x10", "81.5", "1e2147483648", "99999999999999999999999999999999999999999999"})
    void refusesTheSameInMetadataText(String text) {
        for (String field : NUMBERS) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("prompt", "p").put(field, text);
            if (field.equals("expandRatio") || field.equals("guidanceScale")) {
                if (text.equals("81.5")) {
                    continue; // a decimal: refused by its range, tested below
                }
            }
            assertThat(errors(() -> OutpaintRequest.fromText(body))).as(field + "=" + text).extracting(FieldError::field)
                    .containsExactly(field);
        }
    }

    @ParameterizedTest(name = "prompt with U+{0} is refused")
    @ValueSource(ints = {0x00, 0x1b, 0x0d, 0x7f, 0x85, 0xd800, 0xdc00})
    void refusesControlCharactersAndLoneSurrogatesInText(int c) {
        for (String field : List.of("prompt", "negativePrompt")) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("prompt", "p").put(field, "a" + (char) c + "b");
            assertThat(errors(() -> OutpaintRequest.fromJson(body))).as(field).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo(field);
                assertThat(e.allowed()).contains("no control characters");
                assertThat(e.value()).doesNotContain(String.valueOf((char) c));
            });
        }
    }

    @Test
    void keepsTabsNewlinesAndWholeSurrogatePairs() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("prompt", "line one\n\tline two \uD83C\uDF05");
        assertThat(OutpaintRequest.fromJson(body).prompt()).endsWith("\uD83C\uDF05");
    }

    @Test
    void theStrictReaderRefusesTrailingContentAndKeysGivenTwice() {
        assertThat(StrictJson.read("{\"prompt\":\"p\"} x".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictJson.read("{\"prompt\":\"p\"}{}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictJson.read("{\"prompt\":\"a\",\"prompt\":\"b\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictJson.read("{\"r\":{\"seed\":1,\"seed\":2}}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictJson.read(new byte[] {'"', (byte) 0xc3, '"'})).isEmpty();
        assertThat(StrictJson.read("".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictJson.read("{\"prompt\":\"p\"}\n".getBytes(StandardCharsets.UTF_8))).isPresent();
    }
}
