package io.outpaint.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The name an input is sent to Scenario under: its own, with the extension of what its bytes are. */
class InputVideosTest {

    private static String sentAs(String key, String sniffedType) {
        return new InputVideos.Video("b", key, 1, sniffedType, "e", null).fileName();
    }

    @Test
    void aNameThatSaysWhatTheBytesAreIsKept() {
        assertThat(sentAs("inputs/a/clip.mp4", "video/mp4")).isEqualTo("clip.mp4");
        assertThat(sentAs("inputs/a/Clip.WEBM", "video/webm")).isEqualTo("Clip.WEBM");
    }

    @Test
    void aNameThatSaysOtherwiseTakesTheExtensionOfTheBytes() {
        assertThat(sentAs("inputs/a/clip.webm", "video/mp4")).isEqualTo("clip.mp4");
        assertThat(sentAs("inputs/a/clip.mp4", "video/webm")).isEqualTo("clip.webm");
        assertThat(sentAs("inputs/a/clip.final.mov", "video/mp4")).isEqualTo("clip.final.mp4");
        assertThat(sentAs("inputs/a/no-extension", "video/webm")).isEqualTo("no-extension.webm");
    }
}
