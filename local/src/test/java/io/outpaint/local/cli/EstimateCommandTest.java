package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code estimate FILE|KEY}: a local file is read here and only its shape is sent; a key is the API's to read. */
class EstimateCommandTest {

    @TempDir Path dir;
    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    private static final String ANSWER = """
            {"creativeUnits": 12, "source": "cache", "pricedAt": "2026-11-24T04:59:00Z",
             "shape": {"frames": 81, "resolution": "480p", "numInferenceSteps": 30, "numInterpolatedFrames": 1},
             "framing": {"input": {"width": 320, "height": 240}, "canvas": {"width": 320, "height": 568}},
             "note": "the price of this shape; nothing was started and the video was not uploaded"}""";

    private static int estimate(StubApi api, String... more) {
        String[] args = {"estimate", "--endpoint", api.url(), "--api-key", "stub-key"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Outpaint.execute(all);
    }

    @Test
    void aLocalFileIsProbedHereAndOnlyItsShapeIsSent() throws Exception {
        Path video = dir.resolve("my clip.mp4");
        Mp4Video.write(video, 320, 240, 48, 16, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        try (StubApi api = new StubApi().answer("POST", "/estimate", 200, ANSWER)) {
            assertThat(estimate(api, video.toString(), "--prompt", "a tall street", "--aspect", "9:16", "--resolution", "480p")).isZero();

            assertThat(api.requests()).containsExactly("POST /estimate");
            JsonNode body = new ObjectMapper().readTree(api.bodies().get(0));
            assertThat(body.path("video").path("shape")).isEqualTo(new ObjectMapper().readTree(
                    "{\"width\": 320, \"height\": 240, \"durationSeconds\": 3.0, \"framesPerSecond\": 16.0, \"frames\": 48}"));
            assertThat(body.path("video").has("key")).isFalse();
            assertThat(body.path("request").path("target").path("aspectRatio").asText()).isEqualTo("9:16");
            // nothing of the video's bytes went: the body is small
            assertThat(api.bodies().get(0).length()).isLessThan(2000);
        }
        assertThat(console.out()).isEqualTo(String.join(System.lineSeparator(),
                "12 creative units: the price of 81 frames at 480p, 30 steps, 1 interpolated (priced earlier)",
                "  framing: 320x240 onto a 320x568 canvas",
                "Nothing was started and the video was not uploaded.", ""));
        assertThat(console.err()).isEmpty();
    }

    @Test
    void aLongClipsEstimatePrintsItsSegmentCountEachPriceAndTheSum() throws Exception {
        String answer = """
                {"creativeUnits": 700, "source": "dryRun", "pricedAt": "2026-11-24T04:59:00Z",
                 "shape": {"frames": 241, "resolution": "480p", "numInferenceSteps": 30, "numInterpolatedFrames": 1},
                 "segments": {"count": 3, "overlapFrames": 8, "overlapSourceFrames": 12, "sourceFrames": 960, "sourceFps": 24.0,
                              "generationFps": 16.0, "generatedFrames": 656,
                              "each": [{"index": 0, "firstFrame": 0, "endFrame": 361, "overlapWithPrevious": 0, "generatedFrames": 241, "creativeUnits": 260},
                                       {"index": 1, "firstFrame": 349, "endFrame": 710, "overlapWithPrevious": 12, "generatedFrames": 241, "creativeUnits": 260},
                                       {"index": 2, "firstFrame": 698, "endFrame": 960, "overlapWithPrevious": 12, "generatedFrames": 175, "creativeUnits": 180}]},
                 "note": "the sum of its 3 segments' prices"}""";
        try (StubApi api = new StubApi().answer("POST", "/estimate", 200, answer)) {
            assertThat(estimate(api, "inputs/long.mp4", "--prompt", "p")).isZero();
        }
        assertThat(console.out()).isEqualTo(String.join(System.lineSeparator(),
                "700 creative units: the sum of 3 segments' prices (260 + 260 + 180) at 480p, 30 steps, 1 interpolated (priced just now)",
                "  3 segments: the clip is longer than one generation; each is generated on its own (241, 241, 175 frames), overlapping by 8 frames",
                "Nothing was started and the video was not uploaded.", ""));
    }

    @Test
    void aKeyIsSentAsItIsAndJsonPrintsTheAnswer() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/estimate", 200, ANSWER)) {
            assertThat(estimate(api, "inputs/street.mp4", "--prompt", "p", "--json")).isZero();
            assertThat(new ObjectMapper().readTree(api.bodies().get(0)).path("video"))
                    .isEqualTo(new ObjectMapper().readTree("{\"key\": \"inputs/street.mp4\"}"));
        }
        assertThat(new ObjectMapper().readTree(console.out())).isEqualTo(new ObjectMapper().readTree(ANSWER));
    }

    @Test
    void aFileThatIsNotAVideoOrNeitherFileNorKeyIsAUsageErrorBeforeAnyCall() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a video\n");
        try (StubApi api = new StubApi()) {
            assertThat(estimate(api, notes.toString(), "--prompt", "p")).isEqualTo(2);
            assertThat(console.err()).startsWith("outpaint estimate: FILE: notes.txt is not an MP4 or WebM video")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            console.err.reset();
            assertThat(estimate(api, dir.resolve("missing.mp4").toString(), "--prompt", "p")).isEqualTo(2);
            assertThat(console.err()).startsWith("outpaint estimate: FILE|KEY: " + dir.resolve("missing.mp4")
                    + " is neither a local file nor a key under inputs/");
            assertThat(api.requests()).isEmpty();
        }
    }

    @Test
    void theApisRefusalIsOneLineNamingTheFlag() throws Exception {
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        try (StubApi api = new StubApi().answer("POST", "/estimate", 422, """
                {"error": {"code": "TARGET_UNREACHABLE", "message": "request.target.aspectRatio: ...",
                           "fields": [{"field": "request.target.aspectRatio", "message": "request.target.aspectRatio: \\"4:3\\" is not allowed; allowed: a ratio 1% or more from the video's own"}]}}""")) {
            assertThat(estimate(api, video.toString(), "--prompt", "p")).isEqualTo(1);
        }
        assertThat(console.err().lines().toList()).hasSize(1);
        assertThat(console.err()).startsWith("outpaint estimate: --aspect").contains("(HTTP 422 TARGET_UNREACHABLE)");
    }
}
