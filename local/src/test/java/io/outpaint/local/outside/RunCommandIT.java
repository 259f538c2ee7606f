package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import io.outpaint.simulator.video.WebmVideo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, as a user runs it: the packaged jar, a real process, a file at the end. */
class RunCommandIT {

    @TempDir Path dir;
    /** The runtime's data dir, apart from the folder the result goes to. */
    @TempDir Path data;

    private Process outpaint(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "java";
        command[1] = "-jar";
        command[2] = Path.of("target", "outpaint.jar").toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 3, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("CI", "true");
        // the simulator, whatever this machine's environment holds
        builder.environment().remove("SCENARIO_API_KEY");
        builder.environment().remove("SCENARIO_API_SECRET");
        return builder.start();
    }

    @Test
    void runMakesASampleOutpaintsItAndReplacesALargerFileWithExactlyTheResult() throws Exception {
        // a stale, larger file where the result goes: with --force it must end up byte for byte the result
        Path target = dir.resolve("big.mp4");
        Files.write(target, new byte[5_000_000]);
        Process run = outpaint("run", "--resolution", "480p", "--job-seconds", "3", "-o", "big.mp4", "--force",
                "--data-dir", data.toString());
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        assertThat(out).contains("Done: " + target.toRealPath()).contains("in the bucket: s3://outpaint-local/outputs/")
                .contains("job id: api-").contains("created through the HTTP API").contains("RUNNING")
                .contains("made by the Scenario simulator")
                .contains("Scenario: the Scenario simulator at").contains("Data: kept in " + data);
        // each emulator is told as it comes up, before the runtime as a whole
        int up = out.indexOf("Local runtime up in");
        for (String part : List.of("Step Functions", "DynamoDB Local", "S3Mock")) {
            assertThat(out).containsPattern("\n  " + part + " up \\(\\d+\\.\\d s\\)");
            assertThat(out.indexOf("  " + part + " up (")).as(part).isBetween(out.indexOf("Starting the local runtime"), up);
        }
        Matcher printed = Pattern.compile("(\\d+) bytes, sha256 ([0-9a-f]{64})").matcher(out);
        assertThat(printed.find()).as(out).isTrue();
        byte[] bytes = Files.readAllBytes(target);
        assertThat(bytes).hasSize(Integer.parseInt(printed.group(1)));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(printed.group(2));
        // the finished video: the 640x360 sample's canvas with every side at 0.25 (960x540 -> 960x544) at the source's own
        // scale, and the sample's 48 frames at 16 fps (the generation, 848x480 and 81 frames at 480p, is kept as raw.mp4)
        assertThat(Mp4Video.probe(target)).isEqualTo(new VideoInfo(960, 544, 48, 16));
        assertThat(out).contains("raw.mp4");
        // no temporary file left beside it
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("big.mp4");
        }
    }

    @Test
    void runOutpaintsAWebmMadeByFfmpegThroughTheWholePipeline() throws Exception {
        Path webm = dir.resolve("street.webm");
        // one strong colour, far from the grey of a placeholder, so the result shows whether the user's frame is in it
        assumeTrue(ffmpeg("-f", "lavfi", "-i", "color=c=0xC83C28:size=320x240:rate=16", "-t", "2", "-c:v", "libvpx", webm.toString()),
                "ffmpeg with libvpx is not installed (.ci/run installs it)");
        Process run = outpaint("run", "street.webm", "--resolution", "480p", "--job-seconds", "2",
                "--data-dir", data.toString());
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        // uploaded as a WebM, by what the probe found; the result is the simulator's MP4
        assertThat(out).containsPattern("video uploaded to s3://outpaint-local/inputs/api-[0-9a-f-]+/street\\.webm");
        Matcher done = Pattern.compile("Done: (\\S+)").matcher(out);
        assertThat(done.find()).isTrue();
        Path result = Path.of(done.group(1));
        assertThat(result.getParent().getFileName().toString()).isEqualTo("outpaint-results");
        // finished: 320x240 with every side at 0.25 is a 480x360 canvas at the source's scale, 2 s at 16 fps as the input
        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(480, 360, 32, 16));
        // the user's frame fills the centre (the source sits at (80, 60), 320x240): its colour, not a placeholder's grey
        Picture input = WebmVideo.firstFrame(webm).orElseThrow();
        Picture frame = Mp4Video.middleFrame(result).orElseThrow();
        int[] source = yuv(input, 160, 120);
        int[] centre = yuv(frame, 240, 180);
        assertThat(source[2]).as("the input's red chroma (V)").isGreaterThan(40);
        for (int plane = 0; plane < 3; plane++) {
            assertThat(centre[plane]).as("plane " + plane + " at the centre").isCloseTo(source[plane], org.assertj.core.data.Offset.offset(16));
        }
        // outside it, the simulator's generated margin, mirrored from the frame: still reddish. How far its tint moves it from
        // the source depends on the seed and the input (a flat red moves little); RenderedFramesTest and FinishEndToEndTest
        // measure the margins on pixels
        int[] edge = yuv(frame, 30, 180);
        assertThat(edge[2]).as("the margin's red chroma (V)").isPositive();
    }

    /** Luma and the two chroma values at (x, y), as signed bytes around 0 (jcodec's YUV 4:2:0 layout). */
    private static int[] yuv(Picture picture, int x, int y) {
        return new int[] {
            picture.getPlaneData(0)[y * picture.getPlaneWidth(0) + x],
            picture.getPlaneData(1)[(y / 2) * picture.getPlaneWidth(1) + x / 2],
            picture.getPlaneData(2)[(y / 2) * picture.getPlaneWidth(2) + x / 2]};
    }

    @Test
    void aJobThatOutlastsTimeoutSecondsIsOneLineNamingItAndHowToFollowIt() throws Exception {
        Process run = outpaint("run", "--resolution", "480p", "--job-seconds", "120", "--timeout-seconds", "3",
                "--data-dir", data.toString());
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isEqualTo(1);
        Matcher failed = Pattern.compile("(?m)^outpaint run: job (api-[0-9a-f-]+) had not ended after 3 s \\(--timeout-seconds\\); "
                + "it is kept in (\\S+): 'outpaint serve --data-dir \\2' resumes it, then 'outpaint wait \\1' follows it"
                + " \\(--debug shows more\\)$").matcher(out);
        assertThat(failed.find()).as(out).isTrue();
        assertThat(Path.of(failed.group(2))).isEqualTo(data);
        assertThat(out).contains("Job " + failed.group(1) + " created").doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static boolean ffmpeg(String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * {@code run} goes on in a second JVM (C1 only): stopping the command, or killing it outright,
     * ends that JVM and the runtime's processes with it. The two runs, each on its own data dir, start side by side:
     * each is stopped its own way once its job is created, and each is checked on its own.
     */
    @Test
    void stoppingOrKillingRunLeavesNoProcessBehind() throws Exception {
        Process stopped = outpaint("run", "--job-seconds", "60", "--data-dir", Files.createDirectories(data.resolve("stopped")).toString());
        Process killed = outpaint("run", "--job-seconds", "60", "--data-dir", Files.createDirectories(data.resolve("killed")).toString());
        try {
            for (Process run : List.of(stopped, killed)) {
                java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = lines.readLine();
                } while (line != null && !line.contains("created through the HTTP API"));
                assertThat(line).as("the job was created").isNotNull();
                List<ProcessHandle> below = run.descendants().toList();
                assertThat(below).as("the second JVM and the Step Functions sidecar")
                        .anyMatch(p -> p.info().commandLine().orElse("").contains("-XX:TieredStopAtLevel=1"))
                        .anyMatch(p -> p.info().commandLine().orElse("").contains("sidecar"));
                if (run == killed) {
                    run.destroyForcibly();
                } else {
                    run.destroy();
                }
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
                for (ProcessHandle p : below) {
                    p.onExit().get(60, TimeUnit.SECONDS);
                    assertThat(p.isAlive()).as(p.info().commandLine().orElse("?")).isFalse();
                }
            }
        } finally {
            // a run left by a failed check above
            stopped.destroyForcibly();
            killed.destroyForcibly();
        }
    }

    @Test
    void runRefusesBadFlagsNamingEachAndStartsNothing() throws Exception {
        Process run = outpaint("run", "--num-frames", "500", "--aspect-ratio", "4:3");
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(2);
        assertThat(out).contains("--num-frames \"500\" is not allowed; allowed: an integer from 81 to 241")
                .contains("--aspect-ratio \"4:3\" is not allowed; allowed: one of auto, 16:9, 1:1, 9:16")
                .doesNotContain("Usage:").doesNotContain("Exception")
                .doesNotContain("Starting the local runtime");
    }
}
