package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, as a user runs it: the packaged jar, a real process, a file at the end. */
class RunCommandIT {

    @TempDir Path dir;

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
    void runMakesASampleOutpaintsItAndSaysWhereTheResultIs() throws Exception {
        Process run = outpaint("run", "--resolution", "480p", "--job-seconds", "3", "-o", "result.mp4",
                "--data-dir", dir.resolve("data").toString());
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        assertThat(out).contains("Done: " + dir.resolve("result.mp4").toRealPath()).contains("in the bucket: s3://outpaint-local/outputs/")
                .contains("job id: api-").contains("created through the HTTP API").contains("RUNNING")
                .contains("Scenario: the Scenario simulator at").contains("Data: kept in " + dir.resolve("data"));
        // the 640x360 sample, every side at 0.25: 960x540 -> 960x544; 480p: 848x480
        assertThat(Mp4Video.probe(dir.resolve("result.mp4"))).isEqualTo(new VideoInfo(848, 480, 81, 16));
    }

    @Test
    void runRefusesBadFlagsNamingEachAndStartsNothing() throws Exception {
        Process run = outpaint("run", "--num-frames", "500", "--aspect-ratio", "4:3");
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(2);
        assertThat(out).contains("--num-frames \"500\" is not allowed; allowed: an integer from 81 to 241")
                .contains("--aspect-ratio \"4:3\" is not allowed; allowed: one of auto, 16:9, 1:1, 9:16")
                .doesNotContain("Starting the local runtime");
    }
}
