package io.outpaint.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpaint.simulator.video.Mp4Video;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoProbeTest {

    @TempDir Path dir;

    @Test
    void readsAnMp4sContainerAndFrameSize() throws IOException {
        Path video = dir.resolve("clip.bin");
        Mp4Video.write(video, 320, 240, 32, 16, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);

        VideoProbe.Video probed = VideoProbe.probe(video);

        assertThat(probed.container()).isEqualTo(VideoProbe.Container.MP4);
        assertThat(probed.container().mediaType()).isEqualTo("video/mp4");
        assertThat(probed.width()).isEqualTo(320);
        assertThat(probed.height()).isEqualTo(240);
        assertThat(probed.durationSeconds()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(probed.framesPerSecond()).isEqualTo(16.0);
        assertThat(probed.frames()).isEqualTo(32);
    }

    @Test
    void countsAnMp4sFramesFromItsIndexAndSaysNothingOfAWebms() throws IOException {
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 57, 16, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        Path webm = Files.write(dir.resolve("hand.webm"), webm("webm", 640, 360, true));

        assertThat(VideoProbe.frames(video)).hasValue(57);
        assertThat(VideoProbe.frames(webm)).isEmpty();
    }

    @Test
    void refusesATruncatedMp4NamingTheBoxThatIsCut() throws IOException {
        Path whole = dir.resolve("whole.mp4");
        Mp4Video.write(whole, 320, 240, 32, 16, Mp4Video.Pattern.NOISE, Mp4Video.Inset.NONE);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> VideoProbe.probe(cut)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cut.mp4 is a truncated MP4: its 'mdat' box needs");
    }

    @Test
    void refusesATextFileWhateverItsName() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "these are my notes, not a video at all\n");

        assertThatThrownBy(() -> VideoProbe.probe(text)).isInstanceOf(InvalidInputException.class)
                .hasMessage("notes.mp4 is not an MP4 or WebM video (its first bytes are neither an MP4 'ftyp' box nor a WebM header)");
    }

    @Test
    void readsAWebmHeaderBuiltByHand() throws IOException {
        Path webm = Files.write(dir.resolve("hand.webm"), webm("webm", 640, 360, true));

        // no DefaultDuration in this header: the rate is unknown, not guessed
        assertThat(VideoProbe.probe(webm)).isEqualTo(new VideoProbe.Video(VideoProbe.Container.WEBM, 640, 360, 2.5, 0, 0));
    }

    @Test
    void refusesMatroskaThatIsNotWebmAndACutSegment() throws IOException {
        Path mkv = Files.write(dir.resolve("clip.mkv"), webm("matroska", 640, 360, true));
        Path cut = Files.write(dir.resolve("cut.webm"), webm("webm", 640, 360, false));

        assertThatThrownBy(() -> VideoProbe.probe(mkv)).hasMessageContaining("DocType 'matroska'");
        assertThatThrownBy(() -> VideoProbe.probe(cut)).hasMessageStartingWith("cut.webm is a truncated WebM");
    }

    @Test
    void readsAWebmThatFfmpegMade() throws Exception {
        Path webm = dir.resolve("ffmpeg.webm");
        assumeTrue(ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=16", "-t", "2", "-c:v", "libvpx", webm.toString()),
                "ffmpeg with libvpx is not installed (.ci/run installs it)");

        VideoProbe.Video probed = VideoProbe.probe(webm);

        assertThat(probed.container()).isEqualTo(VideoProbe.Container.WEBM);
        assertThat(probed.width()).isEqualTo(320);
        assertThat(probed.height()).isEqualTo(240);
        assertThat(probed.durationSeconds()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(probed.framesPerSecond()).isEqualTo(16.0);
        assertThat(probed.frames()).isEqualTo(32);
    }

    @Test
    void readsTheRateAndFrameCountOfClipsTheBundledFfmpegMade() {
        var ffmpeg = new io.outpaint.media.finish.FfmpegProcess(io.outpaint.media.finish.FfmpegPrograms.locate(), java.time.Duration.ofMinutes(2));
        Path mp4 = dir.resolve("24.mp4");
        Path webm = dir.resolve("25.webm");
        ffmpeg.ffmpeg("make 24.mp4", java.util.List.of("-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=24:duration=2",
                "-f", "lavfi", "-i", "sine=duration=3", "-c:v", "libopenh264", "-c:a", "aac", mp4.toString()));
        ffmpeg.ffmpeg("make 25.webm", java.util.List.of("-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=2",
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", webm.toString()));

        // the MP4's audio outlasts its picture: the frames are the video track's, not the movie's duration times the rate
        assertThat(VideoProbe.probe(mp4)).extracting(VideoProbe.Video::framesPerSecond, VideoProbe.Video::frames).containsExactly(24.0, 48L);
        assertThat(VideoProbe.probe(webm)).extracting(VideoProbe.Video::framesPerSecond, VideoProbe.Video::frames).containsExactly(25.0, 50L);
    }

    @Test
    void countsAFragmentedMp4sFramesFromItsFragments() {
        // empty_moov: the index lists no sample, each fragment its own ('trun'); short fragments, so there are many
        var ffmpeg = new io.outpaint.media.finish.FfmpegProcess(io.outpaint.media.finish.FfmpegPrograms.locate(), java.time.Duration.ofMinutes(2));
        Path fragmented = dir.resolve("fragmented.mp4");
        ffmpeg.ffmpeg("make fragmented.mp4", java.util.List.of("-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=24", "-f", "lavfi", "-i", "sine=duration=5", "-frames:v", "100",
                "-c:v", "libopenh264", "-g", "12", "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov", fragmented.toString()));

        VideoProbe.Video probed = VideoProbe.probe(fragmented);

        assertThat(probed.frames()).isEqualTo(100);
        assertThat(probed.framesPerSecond()).isEqualTo(24.0);
        assertThat(probed.durationSeconds()).isCloseTo(100 / 24.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(probed.width()).isEqualTo(160);
    }

    static boolean ffmpeg(String... args) {
        try {
            String[] command = new String[args.length + 4];
            command[0] = "ffmpeg";
            command[1] = "-v";
            command[2] = "error";
            command[3] = "-y";
            System.arraycopy(args, 0, command, 4, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** EBML header, then a Segment with Info (duration 2500 ms) and one video track; {@code whole} false cuts it short. */
    private static byte[] webm(String docType, int width, int height, boolean whole) {
        byte[] header = element(0x1A45DFA3, element(0x4282, docType.getBytes()));
        byte[] info = element(0x1549A966, concat(element(0x2AD7B1, new byte[] {0x0F, 0x42, 0x40}),
                element(0x4489, java.nio.ByteBuffer.allocate(4).putFloat(2500f).array())));
        byte[] video = element(0xE0, concat(element(0xB0, new byte[] {(byte) (width >> 8), (byte) width}),
                element(0xBA, new byte[] {(byte) (height >> 8), (byte) height})));
        byte[] tracks = element(0x1654AE6B, element(0xAE, concat(element(0x83, new byte[] {1}), video)));
        byte[] segment = element(0x18538067, concat(info, tracks, new byte[64]));
        byte[] all = concat(header, segment);
        return whole ? all : Arrays.copyOf(all, all.length - 40);
    }

    private static byte[] element(int id, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int shift = 24; shift >= 0; shift -= 8) {
            if ((id >>> shift) != 0) {
                out.write(id >>> shift);
            }
        }
        // an 8-byte size, as muxers write when they patch sizes in later
        out.write(0x01);
        for (int shift = 48; shift >= 0; shift -= 8) {
            out.write((int) ((long) data.length >>> shift));
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void readsTheSameThroughPositionedReadsInSmallPiecesAsAnObjectInS3IsRead() throws IOException {
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 640, 360, 32, 16, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        byte[] bytes = java.nio.file.Files.readAllBytes(video);
        int[] reads = {0};
        // at most 7 bytes a read, as a reader that returns short counts may
        VideoProbe.Reader reader = (dst, position) -> {
            reads[0]++;
            if (position >= bytes.length) {
                return -1;
            }
            int count = (int) Math.min(Math.min(dst.remaining(), 7), bytes.length - position);
            dst.put(bytes, (int) position, count);
            return count;
        };
        assertThat(VideoProbe.probe(reader, bytes.length, "clip.mp4")).isEqualTo(VideoProbe.probe(video));
        assertThat(reads[0]).isGreaterThan(1);
    }
}
