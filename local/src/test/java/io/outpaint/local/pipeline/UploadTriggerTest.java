package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.simulator.video.Mp4Video;
import io.outpaint.simulator.video.VideoInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** Videos dropped under inputs/: S3 events (delivered by the local runtime) start jobs through the trigger. */
class UploadTriggerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPipeline pipeline;
    private static S3Client s3;
    private static Path video;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100)
                .withJobDuration(Duration.ofMillis(1000)));
        s3 = pipeline.cloud().s3();
        video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static PutObjectResponse put(String key, Map<String, String> metadata) {
        return s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4").metadata(metadata),
                RequestBody.fromFile(video));
    }

    private static Job awaitJob(String jobId, boolean terminal) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Optional<Job> job = pipeline.services().jobs().find(jobId);
            if (job.isPresent() && (!terminal || job.get().status().isTerminal())) {
                return job.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not appear" + (terminal ? " or end" : ""));
    }

    private static long executionsNamed(String name) {
        return pipeline.cloud().stepFunctions().listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn()))
                .executions().stream().filter(e -> e.name().equals(name)).count();
    }

    @Test
    void aVideoWithMetadataBecomesAJobThatSucceeds() throws Exception {
        PutObjectResponse put = put("inputs/meta/clip.mp4",
                Map.of("prompt", "a wider street", "resolution", "480p", "num-frames", "97", "EXPANDTOP", "false", "finish", "false"));
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/meta/clip.mp4", put.versionId());
        Job job = awaitJob(jobId, true);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.source().type()).isEqualTo("s3");
        // an opaque id, a name people read: the dropped object's
        assertThat(job.inputName()).isEqualTo("clip.mp4");
        assertThat(job.request().path("numFrames").asInt()).isEqualTo(97);
        assertThat(job.request().path("expandTop").asBoolean()).isFalse();
        Path result = dir.resolve("meta.mp4");
        Files.write(result, s3.getObjectAsBytes(b -> b.bucket(LocalPipeline.BUCKET).key(job.outputs().get(0).key())).asByteArray());
        // finish=false in the metadata: the raw generation. 320x240, left, right and bottom at 0.25: 480x300 -> 480x304; 480p: 758x480
        assertThat(Mp4Video.probe(result)).isEqualTo(new VideoInfo(758, 480, 97, 16));
    }

    @Test
    void threeDeliveriesOfOneEventMakeOneJobAndOneExecution() throws Exception {
        PutObjectResponse put = put("inputs/dup/clip.mp4", Map.of("prompt", "once"));
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/dup/clip.mp4", put.versionId());
        awaitJob(jobId, false); // the runtime's own delivery
        JsonNode event = JSON.readTree("""
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                 "eventTime":"2026-11-24T10:00:00.000Z","eventName":"ObjectCreated:Put",
                 "userIdentity":{"principalId":"AWS:LOCAL"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},
                 "responseElements":{"x-amz-request-id":"R","x-amz-id-2":"I"},
                 "s3":{"s3SchemaVersion":"1.0","configurationId":"c","bucket":{"name":"outpaint-local",
                 "ownerIdentity":{"principalId":"LOCAL"},"arn":"arn:aws:s3:::outpaint-local"},
                 "object":{"key":"inputs/dup/clip.mp4","size":1,"eTag":"%s","versionId":"%s","sequencer":"0A"}}}]}"""
                .formatted(put.eTag().replace("\"", ""), put.versionId()));
        for (int i = 0; i < 3; i++) {
            byte[] answer = pipeline.cloud().functions().invoke(LocalPipeline.UPLOAD_TRIGGER, JSON.writeValueAsBytes(event));
            assertThat(new String(answer)).isEqualTo("[\"DUPLICATE\"]");
        }
        awaitJob(jobId, true);
        assertThat(executionsNamed(jobId)).isEqualTo(1);
    }

    @Test
    void aBadSidecarGivesAFailedJobWithTheFieldErrorsAndNoExecution() throws Exception {
        s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/bad/clip.json"),
                RequestBody.fromString("{\"prompt\":\"p\",\"numFrames\":7,\"resolution\":\"8k\"}"));
        PutObjectResponse put = put("inputs/bad/clip.mp4", Map.of());
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/bad/clip.mp4", put.versionId());
        Job job = awaitJob(jobId, true);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_REQUEST");
        assertThat(job.error().message()).contains("numFrames: 7 is not allowed").contains("resolution: \"8k\" is not allowed");
        assertThat(executionsNamed(jobId)).isZero();
    }

    @Test
    void anObjectThatIsNotAVideoIsRefusedWithARecordedReason() throws Exception {
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/notes/readme.txt").contentType("text/plain"),
                RequestBody.fromString("not a video"));
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/notes/readme.txt", put.versionId());
        Job job = awaitJob(jobId, true);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_INPUT");
        // judged by its bytes, the type it was uploaded with named beside them
        assertThat(job.error().message()).isEqualTo("inputs/notes/readme.txt in bucket outpaint-local is not a video: its first bytes "
                + "are neither an MP4 'ftyp' box nor a WebM header (MP4 or WebM expected; it was uploaded as text/plain)");
        assertThat(executionsNamed(jobId)).isZero();
    }

    @Test
    void aTextFileNamedAndTypedAsAVideoIsRefusedByItsContainerBeforeScenarioSeesIt() throws Exception {
        int uploads = pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD);
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/text/clip.mp4").contentType("video/mp4")
                .metadata(Map.of("prompt", "p")), RequestBody.fromString("a text file, named and typed as a video"));
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/text/clip.mp4", put.versionId());
        Job job = awaitJob(jobId, true);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_INPUT");
        assertThat(job.error().message()).startsWith("inputs/text/clip.mp4 in bucket outpaint-local is not a video: its first bytes are "
                + "neither an MP4 'ftyp' box nor a WebM header");
        assertThat(executionsNamed(jobId)).isZero();
        assertThat(pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD)).isEqualTo(uploads);
    }

    /** Scenario takes the container from the type it is sent: the bytes' type is sent, whatever the name or the declared type. */
    @Test
    void anMp4NamedAndTypedAsAWebmSucceedsAsTheMp4ItIs() throws Exception {
        int uploads = pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD);
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/named/clip.webm").contentType("video/webm")
                .metadata(Map.of("prompt", "p", "resolution", "480p")), RequestBody.fromFile(video));
        Job job = awaitJob(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/named/clip.webm", put.versionId()), true);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.source().contentType()).isEqualTo("video/mp4");
        assertThat(pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD)).isGreaterThan(uploads);
    }

    @Test
    void aWebmNamedAndTypedAsAnMp4SucceedsAsTheWebmItIs() throws Exception {
        Path webm = dir.resolve("real.webm");
        io.outpaint.media.finish.FfmpegPrograms ffmpeg = io.outpaint.media.finish.FfmpegPrograms.locate();
        ProcessBuilder encode = new ProcessBuilder(ffmpeg.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=16:duration=1", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", webm.toString())
                .redirectErrorStream(true);
        encode.environment().putAll(ffmpeg.environment());
        Process process = encode.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(out).isZero();
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/named/real.mp4").contentType("video/mp4")
                .metadata(Map.of("prompt", "p", "resolution", "480p")), RequestBody.fromFile(webm));
        Job job = awaitJob(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/named/real.mp4", put.versionId()), true);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.source().contentType()).isEqualTo("video/webm");
    }

    /** rclone copies a file's time as {@code mtime}: another tool's metadata is left aside and named, the job runs. */
    @Test
    void metadataThatIsNotThePipelinesIsLeftAsideAndListedInTheRecord() throws Exception {
        PutObjectResponse put = put("inputs/rclone/clip.mp4", Map.of("mtime", "1733500000.123456789", "prompt", "a wider street",
                "resolution", "480p", "btime", "1733400000"));
        Job job = awaitJob(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/rclone/clip.mp4", put.versionId()), true);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.source().ignoredMetadata()).containsExactly("btime", "mtime");
        assertThat(job.request().path("prompt").asText()).isEqualTo("a wider street");
        assertThat(job.request().has("mtime")).isFalse();
        // and the API shows them with the input
        java.net.http.HttpResponse<String> read = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(pipeline.httpApi().url() + "/jobs/" + job.jobId())).header("x-api-key", pipeline.httpApi().apiKey()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(read.body()).path("input").path("ignoredMetadata").toString()).as(read.body())
                .isEqualTo("[\"btime\",\"mtime\"]");
    }

    /** Under the pipeline's prefix a name is the pipeline's: a misspelt one is refused, named as written. */
    @Test
    void aMisspeltNameUnderThePipelinesPrefixIsRefusedByThatName() throws Exception {
        PutObjectResponse put = put("inputs/prefixed/clip.mp4", Map.of("outpaint-prompt", "p", "outpaint-num-frame", "97"));
        Job job = awaitJob(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, "inputs/prefixed/clip.mp4", put.versionId()), true);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_REQUEST");
        assertThat(job.error().message()).contains("outpaint-num-frame").doesNotContain("outpaint-prompt");
        assertThat(job.source().ignoredMetadata()).isNull();
    }
}
