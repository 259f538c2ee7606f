package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.MediaInfo;
import io.outpaint.media.finish.MediaProbe;
import io.outpaint.segments.Segments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A clip longer than one generation, through the real state machine on the local runtime at a limit of one slot:
 * the parent is split into segment jobs that run through the queue one at a time, the last to succeed starts the
 * parent's join (a Map finishing each segment, then Join), and one video comes out with the input's every frame, its
 * rate, its audio byte for byte, its pixels in the centre and no seam in the margins at the segments' boundaries
 * (the simulator tints each generation's margins its own way, so a missing cross-fade would show).
 */
class SegmentsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FfmpegPrograms FFMPEG = FfmpegPrograms.locate();
    private static final MediaProbe PROBE = MediaProbe.using(FFMPEG, Duration.ofMinutes(2));
    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"16:9\"}}";
    private static LocalPipeline pipeline;
    private static SfnClient sfn;
    private static S3Client s3;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(1)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(500)));
        sfn = pipeline.cloud().stepFunctions();
        s3 = pipeline.cloud().s3();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void noFaultsLeft() {
        pipeline.simulator().faults().clear();
    }

    @Test
    void aFortySecondClipIsGeneratedInSegmentsOneAtATimeAndJoinedIntoOneSeamlessVideoWithItsSound() throws Exception {
        Path clip = clip("forty.mp4", 40);
        Path other = clip("twenty.mp4", 20);
        int jobsBefore = pipeline.simulator().jobsCreated();
        String first = start(clip);
        String second = start(other); // queued behind the first: its segments wait behind the first's
        Job parent = awaitEnd(first);
        Job behind = awaitEnd(second);
        assertThat(parent.status()).as(String.valueOf(parent.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(behind.status()).as(String.valueOf(behind.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(parent.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.ADMITTED, JobStatus.SPLITTING,
                JobStatus.RENDERING_SEGMENTS, JobStatus.JOINING, JobStatus.SUCCEEDED);
        assertThat(parent.scenario().jobId()).as("the parent itself never reached Scenario").isNull();

        // the path: the parent's first execution splits and ends; its join runs in an execution the last segment started
        assertThat(path(first)).endsWith("UploadInput", "IsSplit", "Split", "SegmentsQueued").doesNotContain("Submit");
        List<String> join = path(parent.executionArn());
        assertThat(join).startsWith("Identify", "Admit", "IsAdmitted", "FinishSegments").endsWith("Join", "IsFinished", "Notify", "Done");
        int count = Segments.count(parent);
        assertThat(count).isGreaterThanOrEqualTo(3);
        assertThat(join.stream().filter("FinishSegment"::equals)).hasSize(count);

        // each segment a job of its own, through Scenario once, with the plan's frames and the one seed
        List<Job> segments = Segments.jobIds(parent).stream().map(SegmentsEndToEndTest::record).toList();
        long seed = Segments.plan(parent).path("seed").asLong();
        for (Job segment : segments) {
            assertThat(segment.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(segment.scenario().jobId()).isNotNull();
            assertThat(segment.request().path("seed").asLong()).isEqualTo(seed);
            assertThat(segment.request().path("finish").asBoolean()).isFalse();
            assertThat(Segments.segmentOf(segment)).hasValueSatisfying(of -> assertThat(of.parent()).isEqualTo(first));
        }
        assertThat(segments).extracting(s -> s.scenario().jobId()).doesNotHaveDuplicates();
        // one slot: Scenario never had two jobs at once, and the second clip's segments came after every one of the first's
        assertThat(pipeline.simulator().peakJobsInFlight()).isEqualTo(1);
        assertThat(pipeline.simulator().jobsCreated() - jobsBefore).isEqualTo(count + Segments.count(behind));
        List<Job> later = Segments.jobIds(behind).stream().map(SegmentsEndToEndTest::record).toList();
        Instant lastOfFirst = segments.stream().map(s -> at(s, JobStatus.ADMITTED)).max(Instant::compareTo).orElseThrow();
        for (Job segment : later) {
            assertThat(at(segment, JobStatus.ADMITTED)).as(segment.jobId()).isAfter(lastOfFirst);
        }
        for (int i = 1; i < segments.size(); i++) {
            assertThat(at(segments.get(i), JobStatus.ADMITTED)).as("in order").isAfter(at(segments.get(i - 1), JobStatus.ADMITTED));
        }

        // the one output: every frame, the rate, the sound, the centre; no seam at the boundaries
        Job.Output video = parent.outputs().get(0);
        assertThat(parent.outputs()).extracting(Job.Output::key).containsExactly("outputs/" + first + "/outpaint.mp4",
                "outputs/" + first + "/poster.jpg");
        Path finished = dir.resolve(first + ".mp4");
        Files.write(finished, s3.getObjectAsBytes(b -> b.bucket(video.bucket()).key(video.key())).asByteArray());
        assertThat(Files.size(finished)).isEqualTo(video.bytes());
        MediaInfo in = PROBE.probe(clip);
        MediaInfo out = PROBE.probe(finished);
        assertThat(out.frames()).isEqualTo(in.frames());
        assertThat(out.fps()).isEqualTo(in.fps());
        assertThat((long) out.width() * 9).isEqualTo((long) out.height() * 16);
        assertThat(audioMd5(finished)).as("the audio packets, byte for byte").isEqualTo(audioMd5(clip));
        var source = parent.framing().path("source");
        int seam = io.outpaint.media.finish.Finisher.SEAM_PX;
        String centre = "crop=" + (source.path("width").asInt() - 2 * seam) + ":" + (source.path("height").asInt() - 2 * seam) + ":"
                + (source.path("x").asInt() + seam) + ":" + (source.path("y").asInt() + seam);
        String inputCentre = "crop=iw-" + 2 * seam + ":ih-" + 2 * seam + ":" + seam + ":" + seam;
        assertThat(psnr(finished, centre, clip, inputCentre)).as("the source's pixels at their place, over the whole clip")
                .isGreaterThan(40);
        int marginWidth = source.path("x").asInt();
        assertThat(marginWidth).as("a 4:3 clip in a 16:9 canvas has side margins").isGreaterThan(8);
        List<Long> boundaries = new ArrayList<>();
        var each = Segments.plan(parent).path("each");
        for (int i = 1; i < each.size(); i++) {
            boundaries.add(each.get(i).path("firstFrame").asLong()); // where the cross-fade starts
            boundaries.add(each.get(i - 1).path("endFrame").asLong()); // and where it ends
        }
        double ratio = seamRatio(finished, "crop=" + marginWidth + ":ih:0:0", boundaries);
        System.out.printf("long clip: %d segments, %d frames, seam ratio %.2f (boundaries %s)%n", count, out.frames(), ratio, boundaries);
        assertThat(ratio).as("the margins' change across a boundary against the median change inside segments").isLessThanOrEqualTo(1.5);
    }

    @Test
    void aSegmentThatFailsOnceIsGeneratedAgainWithTheSameSeedAndTheClipSucceeds() throws Exception {
        pipeline.simulator().faults().nextFailingJobs(1, "Generation failed: out of capacity", "try again");
        String id = start(clip("retried.mp4", 20));
        Job parent = awaitEnd(id);
        assertThat(parent.status()).as(String.valueOf(parent.error())).isEqualTo(JobStatus.SUCCEEDED);
        Segments.Item first = Segments.items(parent).get(0);
        assertThat(first.attempt()).isEqualTo(2);
        Job failed = record(Segments.jobId(id, 0, 1));
        Job retried = record(first.jobId());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(retried.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(retried.request().path("seed")).isEqualTo(failed.request().path("seed"));
        assertThat(retried.scenario().jobId()).isNotEqualTo(failed.scenario().jobId());
    }

    @Test
    void aSegmentThatFailsTwiceFailsTheParentNamingItAndNothingOfItWaits() throws Exception {
        pipeline.simulator().faults().nextFailingJobs(2, "Generation failed: the model could not process the input video", "shorter");
        String id = start(clip("doomed.mp4", 20));
        Job parent = awaitEnd(id);
        assertThat(parent.status()).isEqualTo(JobStatus.FAILED);
        assertThat(parent.error().code()).isEqualTo("SEGMENT_FAILED");
        assertThat(parent.error().message()).startsWith("segment 1 of 2").contains("failed 2 times", "could not process the input video");
        Job second = record(Segments.jobId(id, 1, 1));
        assertThat(second.status()).as("the other segment left the queue: the failed one's second attempt ran first")
                .isEqualTo(JobStatus.CANCELED);
        assertThat(second.scenario().jobId()).as("never sent to Scenario").isNull();
        assertThat(pipeline.services().jobs().waiting(10)).extracting(Job::jobId).noneMatch(j -> j.startsWith(id));
    }

    /** A testsrc2 clip of {@code seconds} at 24 fps, 4:3, with a sine tone. */
    private static Path clip(String name, int seconds) throws Exception {
        Path out = dir.resolve(name);
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24:duration=" + seconds, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac", "-c:v", "libopenh264", "-b:v", "2M",
                "-pix_fmt", "yuv420p", out.toString());
        return out;
    }

    private static String start(Path clip) throws Exception {
        String jobId = "long-" + UUID.randomUUID();
        String key = "inputs/" + jobId + "/" + clip.getFileName();
        s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(clip));
        pipeline.start(jobId, key, (ObjectNode) JSON.readTree(REQUEST));
        return jobId;
    }

    private static Job awaitEnd(String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (true) {
            Job job = pipeline.services().jobs().find(jobId).orElse(null);
            if (job != null && job.status().isTerminal() && (job.executionArn() == null || !running(job.executionArn()))) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(jobId + " has not ended: " + job);
            }
            Thread.sleep(250);
        }
    }

    private static boolean running(String executionArn) {
        return sfn.describeExecution(b -> b.executionArn(executionArn)).statusAsString().equals("RUNNING");
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().find(jobId).orElseThrow(() -> new AssertionError("no job " + jobId));
    }

    private static Instant at(Job job, JobStatus status) {
        return job.history().stream().filter(c -> c.status() == status).map(Job.StatusChange::at).findFirst()
                .orElseThrow(() -> new AssertionError(job.jobId() + " was never " + status));
    }

    private static List<String> path(String jobIdOrArn) {
        String arn = jobIdOrArn.startsWith("arn:") ? jobIdOrArn
                : pipeline.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + jobIdOrArn;
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().stream()
                .filter(e -> e.stateEnteredEventDetails() != null).map(HistoryEvent::stateEnteredEventDetails)
                .map(d -> d.name()).toList();
    }

    /**
     * How much the margin strip changes from one frame to the next across a segment boundary, against the median change
     * between frames inside segments: the largest ratio over the frames at the boundaries (the change into frame b, for
     * each b given). All three colour channels count: a generation's tint shows in them.
     */
    static double seamRatio(Path video, String strip, List<Long> boundaries) throws Exception {
        List<String> command = new ArrayList<>(List.of(FFMPEG.ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-i", video.toString(), "-vf", strip + ",format=rgb24", "-f", "rawvideo", "-"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(FFMPEG.environment());
        Process process = builder.start();
        MediaInfo info = PROBE.probe(video);
        String size = strip.replace("crop=", "").split(":")[0];
        int frameBytes = Integer.parseInt(size) * info.height() * 3;
        List<Double> diffs = new ArrayList<>();
        try (InputStream in = process.getInputStream()) {
            byte[] previous = null;
            while (true) {
                byte[] frame = in.readNBytes(frameBytes);
                if (frame.length < frameBytes) {
                    break;
                }
                if (previous != null) {
                    long sum = 0;
                    for (int i = 0; i < frameBytes; i++) {
                        sum += Math.abs((frame[i] & 0xff) - (previous[i] & 0xff));
                    }
                    diffs.add((double) sum / frameBytes);
                } else {
                    diffs.add(0.0);
                }
                previous = frame;
            }
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        List<Double> inside = new ArrayList<>();
        for (int i = 1; i < diffs.size(); i++) {
            final int frame = i;
            if (boundaries.stream().noneMatch(b -> Math.abs(b - frame) <= 1)) {
                inside.add(diffs.get(i));
            }
        }
        double[] sorted = inside.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        double worst = boundaries.stream().filter(b -> b > 0 && b < diffs.size()).mapToDouble(b -> diffs.get(b.intValue())).max().orElse(0);
        return worst / Math.max(median, 1e-6);
    }

    private static String audioMd5(Path clip) throws Exception {
        return ffmpeg("-loglevel", "error", "-i", clip.toString(), "-map", "0:a", "-c:a", "copy", "-f", "md5", "-").trim();
    }

    /** PSNR (dB, all planes, averaged over the frames) of {@code region} of {@code output} against {@code part} of {@code reference}. */
    private static double psnr(Path output, String region, Path reference, String part) throws Exception {
        String log = ffmpeg("-i", output.toString(), "-i", reference.toString(), "-lavfi",
                "[0:v]" + region + ",format=yuv420p,settb=1,setpts=N[a];[1:v]" + part
                        + ",format=yuv420p,settb=1,setpts=N[b];[a][b]psnr=stats_file=-", "-f", "null", "-");
        Matcher m = Pattern.compile("psnr_avg:([0-9.]+|inf)").matcher(log);
        double sum = 0;
        int n = 0;
        while (m.find()) {
            sum += m.group(1).equals("inf") ? 100 : Double.parseDouble(m.group(1));
            n++;
        }
        assertThat(n).as("PSNR lines in " + log).isPositive();
        return sum / n;
    }

    private static String ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FFMPEG.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(FFMPEG.environment());
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("ffmpeg " + String.join(" ", args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
