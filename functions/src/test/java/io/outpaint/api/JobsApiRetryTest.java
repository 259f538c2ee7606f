package io.outpaint.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.config.PipelineConfig;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.InMemoryJobStore;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A retry of {@code POST /jobs} with the same Idempotency-Key answers what the first answer did: for
 * an upload job, an upload URL (a fresh one) as long as the job still waits for its upload.
 */
class JobsApiRetryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPLOAD = "{\"video\":{\"upload\":{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}},"
            + "\"request\":{\"prompt\":\"a wider view\",\"numFrames\":81}}";

    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final JobsApi api = new JobsApi(new PipelineServices(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t",
            "BUCKET_NAME", "bucket")), clock, null, jobs, new io.outpaint.store.InMemorySlotLimiter(),
            new io.outpaint.store.InMemoryJobDurations(), null, null, null, null, null, null), JobsApiRetryTest::presigner);

    private static S3Presigner presigner() {
        return S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    @Test
    void aRetryOfAnUploadJobWaitingForItsUploadAnswersAFreshUploadUrlForTheSameKey() throws Exception {
        JobsApi.Answer first = api.create(JSON.readTree(UPLOAD), Optional.of("retry-1"));
        clock.advance(60);
        JobsApi.Answer again = api.create(JSON.readTree(UPLOAD), Optional.of("retry-1"));

        assertThat(again.status()).isEqualTo(202);
        String jobId = first.body().path("jobId").asText();
        assertThat(again.body().path("jobId").asText()).isEqualTo(jobId);
        assertThat(again.body().path("status").asText()).isEqualTo("QUEUED");
        JsonNode firstUpload = first.body().path("upload");
        JsonNode upload = again.body().path("upload");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("headers").path("Content-Type").asText()).isEqualTo("video/mp4");
        assertThat(path(upload)).isEqualTo(path(firstUpload)).isEqualTo("/bucket/inputs/" + jobId + "/clip.mp4");
        // signed at the retry, not a copy of the first: it lasts its full hour from now
        assertThat(upload.path("url").asText()).contains("X-Amz-Signature=");
        assertThat(Instant.parse(upload.path("expiresAt").asText()))
                .isAfterOrEqualTo(Instant.parse(firstUpload.path("expiresAt").asText()))
                .isAfter(Instant.now().plusSeconds(3500));
        assertThat(jobs.list(Optional.empty(), 10, Optional.empty()).jobs()).hasSize(1);
    }

    @Test
    void aRetryOnceTheUploadHasLandedAnswersTheJobWithoutAnUploadUrl() throws Exception {
        String jobId = api.create(JSON.readTree(UPLOAD), Optional.of("retry-2")).body().path("jobId").asText();
        // the upload landed: the trigger queued the job for a slot
        jobs.update(jobId, j -> j.moveTo(JobStatus.WAITING_FOR_SLOT, clock.instant(), "upload landed"));

        JobsApi.Answer again = api.create(JSON.readTree(UPLOAD), Optional.of("retry-2"));

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("jobId").asText()).isEqualTo(jobId);
        assertThat(again.body().path("status").asText()).isEqualTo("WAITING_FOR_SLOT");
        assertThat(again.body().has("upload")).as(again.body().toString()).isFalse();
    }

    @Test
    void aRetryOfAJobOnAVideoInTheBucketHasNoUploadUrl() throws Exception {
        String jobId = api.create(JSON.readTree(UPLOAD), Optional.of("retry-3")).body().path("jobId").asText();
        // a job whose video was named by its key is QUEUED too while it starts: only an upload job gets a URL
        jobs.update(jobId, j -> j.withSource(new io.outpaint.job.Job.Source("api", "bucket", j.source().key(), "v1", "e", 10L,
                "video/mp4"), clock.instant()));

        JsonNode again = api.create(JSON.readTree(UPLOAD), Optional.of("retry-3")).body();

        assertThat(again.path("status").asText()).isEqualTo("QUEUED");
        assertThat(again.has("upload")).isFalse();
    }

    private static String path(JsonNode upload) {
        return URI.create(upload.path("url").asText()).getPath();
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
