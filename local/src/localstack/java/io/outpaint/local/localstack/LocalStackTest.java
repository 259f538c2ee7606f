package io.outpaint.local.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.store.DynamoJobStore;
import io.outpaint.store.DynamoSlotLimiter;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The job store, the slot limiter and a multipart upload against LocalStack (mvn -Plocalstack verify). */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackTest {

    /** The last LocalStack image that runs without an auth token. */
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
            .withServices("s3", "dynamodb");

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
    }

    @Test
    void theJobStoreAndTheSlotLimiterHoldTheirConditions() {
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion())).credentialsProvider(credentials()).build();
        DynamoJobStore.createTableIfMissing(dynamo, "jobs");
        DynamoJobStore store = new DynamoJobStore(dynamo, "jobs");
        Job job = Job.queued("ls-1", new ObjectMapper().createObjectNode().put("prompt", "p"), null, null, null, Instant.now(), 1);
        assertThat(store.create(job)).isTrue();
        assertThat(store.create(job)).isFalse();
        store.update("ls-1", j -> j.moveTo(JobStatus.RUNNING, Instant.now(), null));
        assertThat(store.find("ls-1").orElseThrow().version()).isEqualTo(2L);
        DynamoSlotLimiter slots = new DynamoSlotLimiter(dynamo, "jobs");
        assertThat(slots.tryAcquire("a", 1)).isTrue();
        assertThat(slots.tryAcquire("b", 1)).isFalse();
    }

    @Test
    void s3TakesAMultipartUpload() {
        S3Client s3 = S3Client.builder().endpointOverride(LOCALSTACK.getEndpoint()).forcePathStyle(true)
                .region(Region.of(LOCALSTACK.getRegion())).credentialsProvider(credentials()).build();
        s3.createBucket(b -> b.bucket("ls"));
        byte[] part = new byte[5 * 1024 * 1024];
        new Random(3).nextBytes(part);
        String upload = s3.createMultipartUpload(b -> b.bucket("ls").key("big")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket("ls").key("big").uploadId(upload).partNumber(1), RequestBody.fromBytes(part)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket("ls").key("big").uploadId(upload).partNumber(2), RequestBody.fromBytes(part)).eTag();
        s3.completeMultipartUpload(b -> b.bucket("ls").key("big").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertThat(s3.headObject(b -> b.bucket("ls").key("big")).contentLength()).isEqualTo(2L * part.length);
    }
}
