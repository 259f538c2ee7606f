package io.outpaint.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    @ParameterizedTest(name = "key {0} is refused")
    @ValueSource(strings = {"/etc/passwd", "../etc/passwd", "inputs/", "inputs/..", "inputs//", "inputs//a.mp4", "inputs/a/../b.mp4",
            "inputs/..mp4", "inputs/.mp4", "inputs/a/.hidden.mp4", "inputs/a/", "inputs\\a.mp4", "inputs/a\\b.mp4",
            "inputs/a\u0000.mp4", "inputs/a\nb.mp4", "inputs/a\uD800.mp4", "other/a.mp4", "INPUTS/a.mp4"})
    void refusesKeysOutsideInputsOrWithPathTricks(String key) {
        assertThat(ObjectKeys.inputKey("video.key", key)).hasValueSatisfying(e -> {
            assertThat(e.field()).isEqualTo("video.key");
            assertThat(e.allowed()).isEqualTo(ObjectKeys.KEY_RULE);
        });
    }

    @ParameterizedTest(name = "key {0} is accepted")
    @ValueSource(strings = {"inputs/a.mp4", "inputs/team/2026/clip one.webm", "inputs/a..b/c.mp4", "inputs/x/readme.txt"})
    void acceptsOrdinaryKeys(String key) {
        assertThat(ObjectKeys.inputKey("video.key", key)).isEmpty();
    }

    @ParameterizedTest(name = "file name {0} is refused")
    @ValueSource(strings = {"..mp4", ".mp4", ".webm", "a..mp4", "a/b.mp4", "../a.mp4", "a.mov", "a.mp4.txt", "-", "a b.mp4", "a.MP4x"})
    void refusesFileNamesWithoutANameOrWithPathParts(String name) {
        assertThat(ObjectKeys.fileName("video.upload.fileName", name)).isPresent();
    }

    @ParameterizedTest(name = "file name {0} is accepted")
    @ValueSource(strings = {"a.mp4", "clip_01.webm", "my-clip.v2.mp4", "_x.mp4"})
    void acceptsPlainFileNames(String name) {
        assertThat(ObjectKeys.fileName("video.upload.fileName", name)).isEmpty();
    }
}
