package io.outpaint.local.pipeline;

import static io.outpaint.local.testing.VideoChecks.audioMd5;
import static io.outpaint.local.testing.VideoChecks.ffmpeg;
import static io.outpaint.local.testing.VideoChecks.psnr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.MediaInfo;
import io.outpaint.media.finish.MediaProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Finishing through the real state machine on the local runtime, on clips made by FFmpeg here
 * (testsrc2 and a sine tone): the finished video has the input's rate, length and sound, the
 * target's exact shape and the input's pixels at the source's place; with {@code finish: false}
 * the Finish state is never entered. The generated margins are only checked not to be the source's.
 */
class FinishEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FfmpegPrograms FFMPEG = FfmpegPrograms.locate();
    private static final MediaProbe PROBE = MediaProbe.using(FFMPEG, Duration.ofMinutes(2));
    private static LocalPipeline pipeline;
    private static SfnClient sfn;
    private static S3Client s3;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(2)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(1000)));
        sfn = pipeline.cloud().stepFunctions();
        s3 = pipeline.cloud().s3();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void anH264AacClipAt24FpsReframedToSquareKeepsItsRateLengthSoundAndPixels() throws Exception {
        Path clip = mp4("aac24.mp4", "24", true);
        assertFinished(clip, "1:1", 1, 1, "copied");
    }

    @Test
    void anH264AacClipAt30FpsReframedToPortraitKeepsItsRateLengthSoundAndPixels() throws Exception {
        Path clip = mp4("aac30.mp4", "30", true);
        assertFinished(clip, "9:16", 9, 16, "copied");
    }

    @Test
    void aClipWithoutSoundGivesAFinishedClipWithoutSoundAndSaysSo() throws Exception {
        Path clip = mp4("silent24.mp4", "24", false);
        assertFinished(clip, "1:1", 1, 1, "none");
    }

    @Test
    void aWebmWithOpusKeepsItsOpusPacketsInTheFinishedMp4() throws Exception {
        Path clip = dir.resolve("opus.webm");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-f", "lavfi", "-i",
                "sine=frequency=330:sample_rate=48000:duration=2", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                "-crf", "10", "-b:v", "0", "-c:a", "libopus", clip.toString());
        assertFinished(clip, "1:1", 1, 1, "copied");
    }

    @Test
    void finishFalseNeverEntersFinishAndKeepsTodaysRawOutput() throws Exception {
        Path clip = mp4("raw24.mp4", "24", true);
        String jobId = run(clip, "{\"prompt\":\"p\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"1:1\"},\"finish\":false}");
        assertThat(execution(jobId)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(path(jobId)).endsWith("CopyResults", "IsFinishing", "Notify", "Done").doesNotContain("Finish", "IsFinished");
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.history()).extracting(Job.StatusChange::status).doesNotContain(JobStatus.FINISHING);
        assertThat(job.finish()).isNull();
        assertThat(job.outputs()).singleElement().satisfies(o ->
                assertThat(o.key()).isEqualTo("outputs/" + jobId + "/" + o.assetId() + ".mp4"));
    }

    private void assertFinished(Path clip, String ratio, int w, int h, String sound) throws Exception {
        String jobId = run(clip, "{\"prompt\":\"p\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"" + ratio + "\"}}");
        assertThat(execution(jobId)).as(String.valueOf(record(jobId).error())).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(path(jobId)).endsWith("CopyResults", "IsFinishing", "Finish", "IsFinished", "Notify", "Done");
        Job job = record(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.COPYING, JobStatus.FINISHING,
                JobStatus.SUCCEEDED);
        assertThat(job.outputs()).extracting(Job.Output::key).containsExactly("outputs/" + jobId + "/outpaint.mp4",
                "outputs/" + jobId + "/raw.mp4", "outputs/" + jobId + "/poster.jpg");
        for (Job.Output o : job.outputs()) {
            assertThat(s3.headObject(b -> b.bucket(o.bucket()).key(o.key())).contentLength()).as(o.key()).isEqualTo(o.bytes());
        }
        Path finished = dir.resolve(jobId + ".mp4");
        Files.write(finished, s3.getObjectAsBytes(b -> b.bucket(LocalPipeline.BUCKET).key(job.outputs().get(0).key())).asByteArray());

        MediaInfo in = PROBE.probe(clip);
        MediaInfo out = PROBE.probe(finished);
        assertThat(out.fps()).isEqualTo(in.fps());
        assertThat(Math.abs(out.frames() - in.frames())).as("frames %d vs %d", out.frames(), in.frames()).isLessThanOrEqualTo(1);
        assertThat(out.durationSeconds()).isCloseTo(in.durationSeconds(), org.assertj.core.data.Offset.offset(1.0 / in.fps().value()));
        assertThat((long) out.width() * h).as("exactly " + ratio).isEqualTo((long) out.height() * w);
        if (sound.equals("copied")) {
            assertThat(audioMd5(finished)).as("the audio packets, byte for byte").isEqualTo(audioMd5(clip));
        } else {
            assertThat(out.audio()).isEmpty();
        }

        JsonNode framing = job.framing();
        JsonNode source = framing.path("source");
        // inside the feathered seam, which blends the source's edge into whatever was generated beside it
        int seam = io.outpaint.media.finish.Finisher.SEAM_PX;
        String centre = "crop=" + (source.path("width").asInt() - 2 * seam) + ":" + (source.path("height").asInt() - 2 * seam) + ":"
                + (source.path("x").asInt() + seam) + ":" + (source.path("y").asInt() + seam);
        String inputCentre = "crop=iw-" + 2 * seam + ":ih-" + 2 * seam + ":" + seam + ":" + seam;
        assertThat(psnr(finished, centre, clip, inputCentre)).as("the source's pixels at their place").isGreaterThan(40);
        JsonNode section = job.finish();
        assertThat(section.path("width").asInt()).isEqualTo(out.width());
        assertThat(section.path("height").asInt()).isEqualTo(out.height());
        assertThat(section.path("source")).isEqualTo(source);
        assertThat(section.path("fps").asText()).isEqualTo(in.fps().toString());
        assertThat(section.path("frames").asLong()).isEqualTo(out.frames());
        assertThat(section.path("audio").path("handling").asText()).isEqualTo(sound);
        assertThat(section.path("raw").asText()).isEqualTo("outputs/" + jobId + "/raw.mp4");
        // the margins were generated: a strip of them is not the source's pixels there
        String margin = source.path("y").asInt() > 0 ? "crop=" + source.path("width").asInt() + ":" + source.path("y").asInt() + ":"
                + source.path("x").asInt() + ":0" : "crop=" + source.path("x").asInt() + ":" + source.path("height").asInt() + ":0:"
                + source.path("y").asInt();
        String sameOfInput = source.path("y").asInt() > 0 ? "crop=iw:" + source.path("y").asInt() + ":0:0"
                : "crop=" + source.path("x").asInt() + ":ih:0:0";
        assertThat(psnr(finished, margin, clip, sameOfInput)).as("a margin against the source").isLessThan(30);
        System.out.printf("finished %s (%s) to %dx%d in %d ms of the Finish state%n", clip.getFileName(), ratio, out.width(), out.height(),
                finishMillis(jobId));
    }

    private static Path mp4(String name, String fps, boolean sound) throws Exception {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=" + fps + ":duration=2"));
        if (sound) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2", "-c:a", "aac"));
        }
        args.addAll(List.of("-c:v", "libopenh264", "-b:v", "6M", "-pix_fmt", "yuv420p", out.toString()));
        ffmpeg(args.toArray(String[]::new));
        return out;
    }

    private static String run(Path clip, String request) throws Exception {
        String jobId = "finish-" + UUID.randomUUID();
        String key = "inputs/" + jobId + "/" + clip.getFileName();
        String type = clip.toString().endsWith(".webm") ? "video/webm" : "video/mp4";
        s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType(type), RequestBody.fromFile(clip));
        String arn = pipeline.start(jobId, key, (ObjectNode) JSON.readTree(request));
        Instant deadline = Instant.now().plusSeconds(300);
        while (sfn.describeExecution(b -> b.executionArn(arn)).status() == ExecutionStatus.RUNNING) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(arn + " still running");
            }
            Thread.sleep(200);
        }
        return jobId;
    }

    private static ExecutionStatus execution(String jobId) {
        return sfn.describeExecution(b -> b.executionArn(arn(jobId))).status();
    }

    private static String arn(String jobId) {
        return pipeline.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + jobId;
    }

    private static List<HistoryEvent> history(String jobId) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn(jobId))).events().stream().toList();
    }

    private static List<String> path(String jobId) {
        return history(jobId).stream().filter(e -> e.stateEnteredEventDetails() != null)
                .map(e -> e.stateEnteredEventDetails().name()).toList();
    }

    private static long finishMillis(String jobId) {
        Instant entered = null;
        for (HistoryEvent e : history(jobId)) {
            if (e.stateEnteredEventDetails() != null && e.stateEnteredEventDetails().name().equals("Finish")) {
                entered = e.timestamp();
            } else if (entered != null && e.stateExitedEventDetails() != null && e.stateExitedEventDetails().name().equals("Finish")) {
                return Duration.between(entered, e.timestamp()).toMillis();
            }
        }
        return -1;
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().find(jobId).orElseThrow();
    }
}
