package io.outpaint.media.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.Lazy;
import io.outpaint.pipeline.StepOutcome;
import io.outpaint.pipeline.StepState;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.store.InMemoryJobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** The Finish step on the in-memory store and a bucket in memory, with the real FFmpeg: what it records, refuses and repeats. */
class FinishStepTest {

    private static final Clock CLOCK = Clock.systemUTC();
    @TempDir static Path dir;
    private static Path input;
    private static Path generated;

    @TempDir Path work;
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final Bucket bucket = new Bucket();

    @BeforeAll
    static void clips() {
        FinishClips clips = new FinishClips(dir);
        input = clips.mp4("in24.mp4", 320, 240, "24", 2, "aac");
        FinishSpec spec = FinishFraming.ofRawFlags(request(), 320, 240);
        generated = clips.generated("gen.mp4", input, 480, 360, spec);
    }

    private static OutpaintRequest request() {
        return OutpaintRequest.fromJson(JsonNodeFactory.instance.objectNode().put("prompt", "p"));
    }

    private String finishing(String jobId) throws IOException {
        Instant now = CLOCK.instant();
        bucket.objects.put("inputs/in24.mp4", Files.readAllBytes(input));
        bucket.objects.put("outputs/" + jobId + "/raw.mp4", Files.readAllBytes(generated));
        Job job = Job.queued(jobId, request().toJson(), new Job.Source("api", "b", "inputs/in24.mp4", null, null, Files.size(input),
                        "video/mp4"), null, null, now, 1)
                .moveTo(JobStatus.COPYING, now, null)
                .withOutput(new Job.Output("asset_1", "b", "outputs/" + jobId + "/raw.mp4", Files.size(generated), "0".repeat(64),
                        "video/mp4", 480, 360, 5.0625), now)
                .moveTo(JobStatus.FINISHING, now, null);
        jobs.create(job);
        return jobId;
    }

    private Finish finish(FinishLimits limits) {
        return new Finish(jobs, Lazy.ofValue(bucket), Lazy.of(() -> new Finisher(FfmpegPrograms.locate(), limits, Duration.ofMinutes(5))),
                limits, work, CLOCK);
    }

    @Test
    void endsTheJobWithTheFinishedVideoFirstThenTheRawOneAndThePosterAndTheFinishSection() throws IOException {
        String id = finishing("finish-1");
        StepState next = finish(FinishLimits.LAMBDA).run(StepState.of(id));

        assertThat(next.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
        assertThat(next.ended()).isEqualTo(JobStatus.SUCCEEDED);
        Job job = jobs.get(id);
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.outputs()).extracting(Job.Output::key).containsExactly("outputs/" + id + "/outpaint.mp4",
                "outputs/" + id + "/raw.mp4", "outputs/" + id + "/poster.jpg");
        Job.Output video = job.outputs().get(0);
        assertThat(video.width()).isEqualTo(480);
        assertThat(video.height()).isEqualTo(360);
        assertThat(video.sha256()).isEqualTo(Finisher.sha256(write(bucket.objects.get(video.key()))));
        assertThat(video.bytes()).isEqualTo(bucket.objects.get(video.key()).length);
        assertThat(job.outputs().get(2).contentType()).isEqualTo("image/jpeg");
        var section = job.finish();
        assertThat(section.path("width").asInt()).isEqualTo(480);
        assertThat(section.path("source").toString()).isEqualTo("{\"x\":80,\"y\":60,\"width\":320,\"height\":240}");
        assertThat(section.path("fps").asText()).isEqualTo("24/1");
        assertThat(section.path("frames").asLong()).isEqualTo(48);
        assertThat(section.path("audio").toString()).isEqualTo("{\"codec\":\"aac\",\"handling\":\"copied\"}");
        assertThat(section.path("raw").asText()).isEqualTo("outputs/" + id + "/raw.mp4");
        try (var left = Files.list(work)) {
            assertThat(left).as("the job's folder is removed").isEmpty();
        }
    }

    @Test
    void aRetryAfterACrashWritesTheSameKeysAndRecordsOnce() throws IOException {
        String id = finishing("finish-2");
        bucket.failNextPutOf = "outputs/" + id + "/poster.jpg";
        assertThatThrownBy(() -> finish(FinishLimits.LAMBDA).run(StepState.of(id))).isInstanceOf(SdkClientException.class);
        assertThat(jobs.get(id).status()).isEqualTo(JobStatus.FINISHING);
        assertThat(jobs.get(id).outputs()).hasSize(1);

        StepState retried = finish(FinishLimits.LAMBDA).run(StepState.of(id));
        assertThat(retried.ended()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(jobs.get(id).outputs()).hasSize(3);
        int puts = bucket.puts.get();
        StepState again = finish(FinishLimits.LAMBDA).run(StepState.of(id));
        assertThat(again.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
        assertThat(again.ended()).as("counted once").isNull();
        assertThat(bucket.puts.get()).as("nothing written again once it ended").isEqualTo(puts);
        assertThat(jobs.get(id).history()).filteredOn(c -> c.status() == JobStatus.SUCCEEDED).hasSize(1);
    }

    @Test
    void refusesAClipBeyondTheLimitsBeforeFetchingItNamingTheLimit() throws IOException {
        String id = finishing("finish-3");
        StepState next = finish(new FinishLimits(4096, 300, 12_000_000_000L, 1000)).run(StepState.of(id));
        assertThat(next.outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(next.failure().code()).isEqualTo("FINISH_REFUSED");
        assertThat(next.failure().message()).contains("maxTmpBytes");
        assertThat(next.failure().hint()).contains("outputs/" + id + "/raw.mp4");
        assertThat(bucket.gets.get()).isZero();
        assertThat(jobs.get(id).status()).as("RecordFailure ends it").isEqualTo(JobStatus.FINISHING);
    }

    @Test
    void aJobThatHasNotBeenCopiedIsNotFinished() {
        Instant now = CLOCK.instant();
        jobs.create(Job.queued("finish-4", request().toJson(), null, null, null, now, 1).moveTo(JobStatus.RUNNING, now, null));
        assertThatThrownBy(() -> finish(FinishLimits.LAMBDA).run(StepState.of("finish-4")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not FINISHING");
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "got", ".bin");
        Files.write(file, bytes);
        return file;
    }

    /** A bucket in memory: GetObject to a file and PutObject, the two calls the step makes. */
    private static final class Bucket implements S3Client {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger puts = new AtomicInteger();
        volatile String failNextPutOf;

        @Override
        public GetObjectResponse getObject(GetObjectRequest request, Path file) {
            gets.incrementAndGet();
            try {
                Files.write(file, objects.get(request.key()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return GetObjectResponse.builder().build();
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (request.key().equals(failNextPutOf)) {
                failNextPutOf = null;
                throw SdkClientException.create("the connection dropped");
            }
            puts.incrementAndGet();
            try (var in = body.contentStreamProvider().newStream()) {
                objects.put(request.key(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return PutObjectResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
