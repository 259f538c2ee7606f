package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Uploads whose sidecar, metadata or key is hostile: each S3 event, delivered by the local runtime,
 * ends in a FAILED record whose reason names the field, and no execution; none is dropped.
 */
class UploadTriggerRefusalsTest {

    private static LocalPipeline pipeline;
    private static S3Client s3;
    private static Path video;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withJobDuration(Duration.ofMillis(300)));
        s3 = pipeline.cloud().s3();
        video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static Job awaitEnded(String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Optional<Job> job = pipeline.services().jobs().find(jobId);
            if (job.isPresent() && job.get().status().isTerminal()) {
                return job.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no record of job " + jobId + ": the event was dropped");
    }

    /** The record is FAILED with {@code code}, and its reason opens on exactly {@code field}: the first and only field named. */
    private static void assertRefused(String key, PutObjectResponse put, String code, String field) throws InterruptedException {
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, put.versionId());
        Job job = awaitEnded(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).as(job.error().message()).isEqualTo(code);
        assertThat(job.error().message()).startsWith("invalid request: " + field + ": ");
        io.outpaint.request.OutpaintRequest.FIELDS.stream().filter(f -> !f.equals(field))
                .forEach(other -> assertThat(job.error().message()).doesNotContain("; " + other + ":"));
        long executions = pipeline.cloud().stepFunctions().listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn()))
                .executions().stream().filter(e -> e.name().equals(jobId)).count();
        assertThat(executions).isZero();
    }

    @ParameterizedTest(name = "sidecar {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "s1|{\"prompt\":\"p\",\"expandRatio\":1e999}|expandRatio|INVALID_REQUEST",
            "s2|{\"prompt\":\"p\",\"guidanceScale\":-1e999}|guidanceScale|INVALID_REQUEST",
            "s3|{\"prompt\":\"p\",\"numFrames\":1e999}|numFrames|INVALID_REQUEST",
            "s4|{\"prompt\":\"p\",\"seed\":-1e999}|seed|INVALID_REQUEST",
            "s5|{\"prompt\":\"p\",\"numInferenceSteps\":30.5}|numInferenceSteps|INVALID_REQUEST",
            "s6|{\"prompt\":\"p\",\"seed\":123456789012345678901234567890}|seed|INVALID_REQUEST",
            "s7|{\"prompt\":\"a\\u0000b\"}|prompt|INVALID_REQUEST",
            "s8|{\"prompt\":\"a\\ud800b\"}|prompt|INVALID_REQUEST",
            "s9|{\"prompt\":\"p\",\"prompt\":\"q\"}|(sidecar)|INVALID_REQUEST",
            "s10|{\"prompt\":\"p\"} trailing|(sidecar)|INVALID_REQUEST",
            "s11|{\"prompt\":\"p\",\"bucket\":\"outpaint-other\"}|bucket|INVALID_REQUEST",
            "s12|[1e999]|(sidecar)|INVALID_REQUEST"})
    void aHostileSidecarEndsInAFailedRecordNamingTheField(String folder, String sidecar, String field, String code) throws Exception {
        String key = "inputs/" + folder + "/clip.mp4";
        s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/" + folder + "/clip.json"), RequestBody.fromString(sidecar));
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"),
                RequestBody.fromFile(video));
        assertRefused(key, put, code, field);
    }

    @ParameterizedTest(name = "metadata {1}={2}")
    @CsvSource(delimiter = '|', value = {
            "m1|expand-ratio|1e999|expandRatio|INVALID_REQUEST", "m2|guidance-scale|-1e999|guidanceScale|INVALID_REQUEST",
            "m3|num-frames|1e999|numFrames|INVALID_REQUEST", "m4|seed|-1e999|seed|INVALID_REQUEST",
            "m5|num-frames|81.5|numFrames|INVALID_REQUEST", "m6|guidancescale|NaN|guidanceScale|INVALID_REQUEST",
            "m7|frames-per-second|Infinity|framesPerSecond|INVALID_REQUEST",
            "m8|num-interpolated-frames|0x2|numInterpolatedFrames|INVALID_REQUEST",
            "m9|expand-top|maybe|expandTop|INVALID_REQUEST",
            // under the pipeline's prefix a name is the pipeline's, known or not (without it, another tool's, left aside)
            "m10|outpaint-bucket|outpaint-other|outpaint-bucket|INVALID_REQUEST", "m11|outpaint-seed|NaN|seed|INVALID_REQUEST"})
    void aHostileMetadataValueEndsInAFailedRecordNamingTheField(String folder, String name, String value, String field, String code)
            throws Exception {
        String key = "inputs/" + folder + "/clip.mp4";
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4")
                .metadata(Map.of("prompt", "p", name, value)), RequestBody.fromFile(video));
        assertRefused(key, put, code, field);
    }

    /** The API's code for the same key (400 INVALID_REQUEST on video.key), so a bad key reads alike on both paths. */
    @ParameterizedTest(name = "key {0}")
    @CsvSource({"inputs/k1/..mp4", "inputs/k2/.mp4", "inputs/k3/..hidden.webm", "inputs/.k4/clip.mp4"})
    void aKeyTheValidatorRefusesEndsInAFailedRecordWithTheApisCode(String key) throws Exception {
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"),
                RequestBody.fromFile(video));
        assertRefused(key, put, "INVALID_REQUEST", "key");
        String jobId = UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, put.versionId());
        assertThat(awaitEnded(jobId).error().message()).isEqualTo("invalid request: key: \"" + key + "\" is not allowed; allowed: "
                + io.outpaint.request.ObjectKeys.KEY_RULE);
    }

    /**
     * Keys S3 takes that the key rule refuses (control characters, an empty segment): each upload ends in a FAILED record
     * naming the key as a log line can show it, and the bucket's other uploads go on (S3Mock cannot list such a key in
     * plain XML: the delivery asks for URL-encoded keys).
     */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> refusedKeys() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("inputs/c1/ctl" + (char) 1 + ".mp4", "inputs/c1/ctl\\u0001.mp4"),
                org.junit.jupiter.params.provider.Arguments.of("inputs/c2/del" + (char) 0x7f + ".mp4", "inputs/c2/del\\u007f.mp4"),
                org.junit.jupiter.params.provider.Arguments.of("inputs/c3/new\nline.mp4", "inputs/c3/new\\u000aline.mp4"),
                org.junit.jupiter.params.provider.Arguments.of("inputs/c4//double.mp4", "inputs/c4//double.mp4"));
    }

    @ParameterizedTest(name = "key {1}")
    @org.junit.jupiter.params.provider.MethodSource("refusedKeys")
    void aKeyS3TakesAndTheRuleRefusesEndsInAFailedRecordNamingIt(String key, String shown) throws Exception {
        String versionId;
        if (key.contains("//")) {
            // as the AWS CLI sends it (the Java SDK sends "//" as "/%2F", which S3Mock refuses)
            java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pipeline.cloud().s3Url() + "/"
                            + LocalPipeline.BUCKET + "/" + key)).header("Content-Type", "video/mp4")
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(video)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            versionId = put.headers().firstValue("x-amz-version-id").orElseThrow();
        } else {
            versionId = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(video))
                    .versionId();
        }
        Job job = awaitEnded(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, versionId));
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().code()).isEqualTo("INVALID_REQUEST");
        assertThat(job.error().message()).isEqualTo("invalid request: key: \"" + shown + "\" is not allowed; allowed: "
                + io.outpaint.request.ObjectKeys.KEY_RULE);
        assertThat(job.source().key()).isEqualTo(key);
        // a plain upload after it still starts its job
        String after = key.substring(0, "inputs/cN/".length()) + "after.mp4";
        PutObjectResponse plain = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(after).contentType("video/mp4")
                .metadata(Map.of("prompt", "p")), RequestBody.fromFile(video));
        assertThat(awaitEnded(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, after, plain.versionId())).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /** Keys S3 takes that the key rule takes too (percent signs, '+', spaces, 1,024 bytes): each starts its job, which runs. */
    @ParameterizedTest(name = "key {0}")
    @CsvSource({"inputs/p1/100%.mp4", "inputs/p2/plus+and space.mp4", "inputs/p3/%41%2F%zz.mp4", "LONG"})
    void aKeyS3TakesAndTheRuleTakesStartsItsJob(String written) throws Exception {
        String key = written.equals("LONG") ? "inputs/p4/" + "v".repeat(1024 - "inputs/p4/".length() - ".mp4".length()) + ".mp4" : written;
        assertThat(key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        PutObjectResponse put = s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4")
                .metadata(Map.of("prompt", "p")), RequestBody.fromFile(video));
        Job job = awaitEnded(UploadTrigger.jobIdFor(LocalPipeline.BUCKET, key, put.versionId()));
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.source().key()).isEqualTo(key);
    }
}
