package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finishing on real clips made by ffmpeg: length, rate, sound, geometry, pixels and poster of the result. */
class FinisherTest {

    private static final FinishLimits ROOMY = new FinishLimits(4096, 900, Long.MAX_VALUE, Long.MAX_VALUE);

    @TempDir
    static Path dir;
    static FinishClips clips;
    static Finisher finisher;

    static Path aac24;
    static Finished square24;
    static Path aac30;
    static Finished portrait30;
    static Path silent43;
    static Finished wide43;
    static Path webm;
    static Finished webmSquare;

    @BeforeAll
    static void finishEveryKindOfInput() {
        clips = new FinishClips(dir);
        finisher = new Finisher(FfmpegPrograms.locate(), ROOMY, Duration.ofMinutes(5));

        aac24 = clips.mp4("aac24.mp4", 640, 360, "24", 3, "aac");
        square24 = finish(aac24, FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360)), "square24");

        aac30 = clips.mp4("aac30.mp4", 640, 360, "30", 2.5, "aac");
        portrait30 = finish(aac30, FinishSpec.of(640, 800, new FinishSpec.Rect(0, 220, 640, 360)), "portrait30");

        silent43 = clips.mp4("silent43.mp4", 480, 360, "24", 2, null);
        wide43 = finish(silent43, FinishSpec.of(640, 360, new FinishSpec.Rect(80, 0, 480, 360)), "wide43");

        webm = clips.webm("opus.webm", 640, 360, "24", 2);
        webmSquare = finish(webm, FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360)), "webm");
    }

    private static Finished finish(Path input, FinishSpec spec, String name) {
        // half the canvas: the source's place in the generation falls on whole 4:2:0 pixels, as a planner's tiers should
        Path generated = clips.generated(name + "-generated.mp4", input, spec.canvasWidth() / 2, spec.canvasHeight() / 2, spec);
        return finisher.finish(input, generated, spec, dir.resolve(name));
    }

    @Test
    void keepsTheInputsFrameRateDurationAndFrameCountAt24And30Fps() {
        for (var pair : new Object[][] {{aac24, square24}, {aac30, portrait30}, {silent43, wide43}, {webm, webmSquare}}) {
            MediaInfo in = FinishClips.PROBE.probe((Path) pair[0]);
            Finished out = (Finished) pair[1];
            MediaInfo probed = FinishClips.PROBE.probe(out.video());
            assertThat(probed.fps()).as("fps of %s", out.video()).isEqualTo(in.fps());
            assertThat(out.fps()).isEqualTo(in.fps());
            assertThat(probed.frames()).as("frames of %s", out.video()).isBetween(in.frames() - 1, in.frames() + 1);
            assertThat(probed.durationSeconds()).as("duration of %s", out.video())
                    .isCloseTo(in.durationSeconds(), org.assertj.core.data.Offset.offset(1 / in.fps().value()));
        }
    }

    @Test
    void copiesTheInputsAacPacketsUnchanged() {
        assertThat(square24.audio()).isEqualTo(AudioHandling.COPIED);
        assertThat(square24.audioCodec()).isEqualTo("aac");
        assertThat(FinishClips.audioMd5(square24.video())).isEqualTo(FinishClips.audioMd5(aac24));
        assertThat(FinishClips.audioMd5(portrait30.video())).isEqualTo(FinishClips.audioMd5(aac30));
    }

    @Test
    void copiesOpusFromAWebmIntoTheMp4Unchanged() {
        assertThat(webmSquare.audio()).isEqualTo(AudioHandling.COPIED);
        assertThat(webmSquare.audioCodec()).isEqualTo("opus");
        assertThat(FinishClips.audioMd5(webmSquare.video())).isEqualTo(FinishClips.audioMd5(webm));
    }

    @Test
    void givesNoAudioAndSaysSoWhenTheInputHasNone() {
        assertThat(wide43.audio()).isEqualTo(AudioHandling.NONE);
        assertThat(wide43.audioCodec()).isEqualTo("none");
        assertThat(FinishClips.PROBE.probe(wide43.video()).audio()).isEmpty();
    }

    @Test
    void convertsSoundMp4CannotCarryToAacAndSaysSo() {
        Path pcm = clips.mkvWithPcm("pcm.mkv", 320, 180, 1);
        Finished out = finish(pcm, FinishSpec.of(320, 320, new FinishSpec.Rect(0, 70, 320, 180)), "pcm");
        assertThat(out.audio()).isEqualTo(AudioHandling.CONVERTED_TO_AAC);
        assertThat(out.audioCodec()).isEqualTo("aac");
    }

    @Test
    void outputIsTheCanvasWithItsExactAspectRatio() {
        assertThat(FinishClips.PROBE.probe(square24.video())).satisfies(m -> {
            assertThat(m.width()).isEqualTo(640);
            assertThat(m.height()).isEqualTo(640);
        });
        MediaInfo portrait = FinishClips.PROBE.probe(portrait30.video());
        assertThat((long) portrait.width() * 5).isEqualTo((long) portrait.height() * 4);
        MediaInfo wide = FinishClips.PROBE.probe(wide43.video());
        assertThat((long) wide.width() * 9).isEqualTo((long) wide.height() * 16);
        assertThat(wide43.width()).isEqualTo(640);
        assertThat(wide43.source()).isEqualTo(new FinishSpec.Rect(80, 0, 480, 360));
    }

    @Test
    void laysTheOriginalPixelsBackAtTheSourceRectangle() {
        assertThat(FinishClips.psnr(square24.video(), "crop=640:360:0:140", aac24)).isGreaterThan(40);
        assertThat(FinishClips.psnr(portrait30.video(), "crop=640:360:0:220", aac30)).isGreaterThan(40);
        assertThat(FinishClips.psnr(wide43.video(), "crop=480:360:80:0", silent43)).isGreaterThan(40);
    }

    @Test
    void keepsTheOriginalAlmostUntouchedInsideTheSeam() {
        // inside the feathered band only the encoder touches the pixels
        int inset = SeamMask.FEATHER;
        Path inner = clips.lossless(aac24, "crop=640:" + (360 - 2 * inset) + ":0:" + inset, "aac24-inner.mkv");
        assertThat(FinishClips.psnr(square24.video(), "crop=640:" + (360 - 2 * inset) + ":0:" + (140 + inset), inner))
                .isGreaterThan(45);
    }

    @Test
    void marginsShowTheGenerationNotTheInput() throws IOException {
        assertPadColour(clips.frame(square24.video(), 30, "crop=640:120:0:0", "square-top.png"));
        assertPadColour(clips.frame(portrait30.video(), 30, "crop=640:200:0:600", "portrait-bottom.png"));
        assertPadColour(clips.frame(wide43.video(), 30, "crop=72:360:0:0", "wide-left.png"));
        // the margin is not the input's own edge carried outwards either
        Path inputEdge = clips.lossless(silent43, "crop=80:360:0:0", "silent43-edge.mkv");
        assertThat(FinishClips.psnr(wide43.video(), "crop=80:360:0:0", inputEdge)).isLessThan(20);
    }

    private static void assertPadColour(Path png) throws IOException {
        double[] rgb = FinishClips.meanRgb(png);
        assertThat(rgb[0]).as("red of %s", png).isGreaterThan(200);
        assertThat(rgb[1]).as("green of %s", png).isLessThan(60);
        assertThat(rgb[2]).as("blue of %s", png).isGreaterThan(200);
    }

    @Test
    void appliesThePlannedCropOfTheSourcesSides() {
        FinishSpec spec = FinishSpec.of(480, 640, new FinishSpec.Rect(0, 140, 480, 360))
                .withCrop(new FinishSpec.Crop(80, 0, 480, 360));
        Finished out = finish(aac24, spec, "cropped");
        Path keptColumns = clips.lossless(aac24, "crop=480:360:80:0", "aac24-kept.mkv");
        assertThat(out.width()).isEqualTo(480);
        assertThat(FinishClips.psnr(out.video(), "crop=480:360:0:140", keptColumns)).isGreaterThan(40);
    }

    @Test
    void writesAJpegPosterOfTheCanvasSize() throws IOException {
        assertThat(Files.readAllBytes(square24.poster())).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
        BufferedImage poster = ImageIO.read(square24.poster().toFile());
        assertThat(poster.getWidth()).isEqualTo(640);
        assertThat(poster.getHeight()).isEqualTo(640);
    }

    @Test
    void writesH264WithItsIndexBeforeThePicturesForStreaming() throws IOException {
        assertThat(FinishClips.PROBE.probe(square24.video()).videoCodec()).isEqualTo("h264");
        String head = new String(Files.readAllBytes(square24.video()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(head.indexOf("moov")).isPositive().isLessThan(head.indexOf("mdat"));
    }

    @Test
    void reportsSizeAndChecksumOfTheFileWritten() throws IOException {
        assertThat(square24.bytes()).isEqualTo(Files.size(square24.video()));
        assertThat(square24.sha256()).isEqualTo(Finisher.sha256(square24.video())).hasSize(64);
    }

    @Test
    void failsWithFfmpegsOwnWordsWhenTheGenerationIsNotAVideo() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.mp4"), "not a video");
        FinishSpec spec = FinishSpec.of(640, 640, new FinishSpec.Rect(0, 140, 640, 360));
        assertThatThrownBy(() -> finisher.finish(aac24, broken, spec, dir.resolve("broken")))
                .isInstanceOf(FinishFailedException.class)
                .hasMessageContaining("broken.mp4")
                .hasMessageContaining("Invalid data");
    }
}
