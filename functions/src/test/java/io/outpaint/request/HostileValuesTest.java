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

    @ParameterizedTest(name = "a prompt of only U+{0} is empty")
    @ValueSource(strings = {"feff", "200b", "200b 200c 200d", "2060", "202e", "2066 2069", "200e 200f", "00ad", "180e",
            "3164", "115f 1160", "ffa0", "2800", "fe0f", "034f", "0020 00a0 3000", "feff 200b 0020 2060 feff"})
    void aPromptOfOnlyInvisibleCharactersIsEmpty(String codes) {
        StringBuilder prompt = new StringBuilder();
        for (String code : codes.split(" ")) {
            prompt.appendCodePoint(Integer.parseInt(code, 16));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("prompt", prompt.toString());
        assertThat(errors(() -> OutpaintRequest.fromJson(body))).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("prompt");
            assertThat(e.allowed()).contains("a visible character");
        });
    }

    @ParameterizedTest(name = "a prompt {0} with a visible character is kept")
    @ValueSource(strings = {"\u200ba", "\ufeffwider\u200b", "\u05d0\u200f", "\ud83c\udf05", "\u0301"})
    void aPromptWithAVisibleCharacterAmongInvisibleOnesIsKept(String prompt) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("prompt", prompt);
        assertThat(OutpaintRequest.fromJson(body).prompt()).isEqualTo(prompt);
    }

    @ParameterizedTest(name = "{0} is not UTF-8")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "c0af|an overlong form at byte 0", "c080|an overlong form at byte 0", "e080af|an overlong form at byte 0",
            "f08080af|an overlong form at byte 0", "f8888080af|never uses", "fffe7b00|UTF-16 byte-order mark",
            "feff007b|UTF-16 byte-order mark", "007b0022|a NUL byte at byte 0", "7b0000007d|a NUL byte at byte 1",
            "eda080|CESU-8", "edbfbf|CESU-8", "f4908080|above U+10FFFF", "80|continuation byte with no lead",
            "e282|cut short", "e2287b|cut short", "ff|never uses"})
    void refusesEveryMalformedUtf8NamingIt(String hex, String problem) {
        assertThat(StrictUtf8.problem(java.util.HexFormat.of().parseHex(hex))).hasValueSatisfying(p -> assertThat(p).contains(problem));
    }

    @Test
    void takesWellFormedUtf8OfEveryLength() {
        String text = "{\"prompt\":\"a \u00e9 \u20ac \ud83c\udf05 \uffff \udbff\udfff\"}";
        assertThat(StrictUtf8.problem(text.getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(StrictUtf8.problem(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'})).as("UTF-8's own BOM").isEmpty();
        assertThat(StrictUtf8.problem(new byte[0])).isEmpty();
    }

    @Test
    void anEchoedValueIsCutTo64CharactersAndItsInvisibleCharactersShown() {
        assertThat(TextRules.echoed("x".repeat(100_000))).isEqualTo("x".repeat(64) + "\u2026");
        assertThat(TextRules.echoed("job\u202eexe.mp4\u0000")).isEqualTo("job\\u202eexe.mp4\\u0000");
        assertThat(TextRules.echoed("api-1")).isEqualTo("api-1");
    }
}
