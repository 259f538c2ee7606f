package io.outpaint.local.outside;

import static io.outpaint.local.outside.JarProcesses.json;
import static io.outpaint.local.outside.JarProcesses.killRuntimeJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.local.aws.S3Emulator;
import io.outpaint.pipeline.UploadTrigger;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * From outside: the packaged {@code outpaint.jar serve --data-dir}, its bucket given what S3 takes. A key with a control
 * character and one with "//" each end in a FAILED record naming them, and the uploads after them run; an MP4 named
 * {@code .webm} runs as the MP4 it is; rclone's {@code mtime} is left aside and listed; serve, killed outright, starts
 * again on that data dir, and a video that landed while it was down gets its job.
 */
class ServeBucketIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BUCKET = "outpaint-local";

    @TempDir Path dir;
    @RegisterExtension final JarProcesses jar = new JarProcesses(Duration.ofSeconds(180), Duration.ofSeconds(30));

    @Test
    void noKeyPoisonsTheBucketAndAnUploadLandedWhileServeWasDownGetsItsJob() throws Exception {
        Path data = dir.resolve("data");
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);

        Path firstLog = dir.resolve("serve-1.log");
        Process first = serve(data, dir.resolve("endpoints-1.json"), firstLog);
        JsonNode endpoints = jar.awaitEndpoints(first, dir.resolve("endpoints-1.json"), firstLog);
        String api = endpoints.path("httpApi").asText();
        String apiKey = endpoints.path("apiKey").asText();

        String controlKey = "inputs/ctl" + (char) 1 + "clip.mp4";
        String doubledKey = "inputs/a//clip.mp4";
        String controlJob;
        String doubledJob;
        String afterJob;
        String namedJob;
        try (S3Client s3 = s3(endpoints)) {
            controlJob = UploadTrigger.jobIdFor(BUCKET, controlKey, s3.putObject(b -> b.bucket(BUCKET).key(controlKey)
                    .contentType("video/mp4"), RequestBody.fromFile(video)).versionId());
            // as the AWS CLI sends it: the Java SDK sends "//" as "/%2F", which S3Mock refuses
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(endpoints.path("s3").asText() + "/" + BUCKET + "/"
                    + doubledKey)).header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofFile(video)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            doubledJob = UploadTrigger.jobIdFor(BUCKET, doubledKey, put.headers().firstValue("x-amz-version-id").orElseThrow());
            // after them, as rclone copies a file: its own mtime beside the model's inputs
            afterJob = UploadTrigger.jobIdFor(BUCKET, "inputs/after/clip.mp4", s3.putObject(b -> b.bucket(BUCKET)
                    .key("inputs/after/clip.mp4").contentType("video/mp4")
                    .metadata(Map.of("mtime", "1733500000.123456789", "prompt", "a wider street", "resolution", "480p")),
                    RequestBody.fromFile(video)).versionId());
            namedJob = UploadTrigger.jobIdFor(BUCKET, "inputs/named/clip.webm", s3.putObject(b -> b.bucket(BUCKET)
                    .key("inputs/named/clip.webm").contentType("video/webm").metadata(Map.of("resolution", "480p")),
                    RequestBody.fromFile(video)).versionId());
        }

        JsonNode control = jar.awaitEnded(api, apiKey, controlJob, first, firstLog);
        assertThat(control.path("status").asText()).as(control.toString()).isEqualTo("FAILED");
        assertThat(control.path("error").path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(control.path("error").path("message").asText()).startsWith("invalid request: key: \"inputs/ctl\\u0001clip.mp4\" is not allowed");
        assertThat(control.path("input").path("key").asText()).isEqualTo(controlKey);
        JsonNode doubled = jar.awaitEnded(api, apiKey, doubledJob, first, firstLog);
        assertThat(doubled.path("status").asText()).as(doubled.toString()).isEqualTo("FAILED");
        assertThat(doubled.path("error").path("message").asText()).startsWith("invalid request: key: \"inputs/a//clip.mp4\" is not allowed");
        JsonNode after = jar.awaitEnded(api, apiKey, afterJob, first, firstLog);
        assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("SUCCEEDED");
        assertThat(after.path("input").path("ignoredMetadata").toString()).isEqualTo("[\"mtime\"]");
        assertThat(after.path("request").path("prompt").asText()).isEqualTo("a wider street");
        JsonNode named = jar.awaitEnded(api, apiKey, namedJob, first, firstLog);
        assertThat(named.path("status").asText()).as(named.toString()).isEqualTo("SUCCEEDED");

        // the runtime's JVM (serve runs in a second one, C1Jvm) killed outright
        killRuntimeJvm(first, Duration.ofSeconds(30));

        // a video lands while serve is down (as one put just before the kill, whose event never went out)
        String downJob;
        try (S3Emulator alone = new S3Emulator(0, data.resolve("s3"), true);
             S3Client s3 = S3Client.builder().endpointOverride(URI.create(alone.url())).forcePathStyle(true).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            downJob = UploadTrigger.jobIdFor(BUCKET, "inputs/while-down/clip.mp4", s3.putObject(b -> b.bucket(BUCKET)
                    .key("inputs/while-down/clip.mp4").contentType("video/mp4").metadata(Map.of("resolution", "480p")),
                    RequestBody.fromFile(video)).versionId());
        }

        // serve starts again on that data dir, the control character's object still in its bucket
        Path secondLog = dir.resolve("serve-2.log");
        Process second = serve(data, dir.resolve("endpoints-2.json"), secondLog);
        JsonNode again = jar.awaitEndpoints(second, dir.resolve("endpoints-2.json"), secondLog);
        String api2 = again.path("httpApi").asText();
        JsonNode down = jar.awaitEnded(api2, apiKey, downJob, second, secondLog);
        assertThat(down.path("status").asText()).as(down.toString()).isEqualTo("SUCCEEDED");
        assertThat(down.path("input").path("key").asText()).isEqualTo("inputs/while-down/clip.mp4");
        // what the first run delivered is not delivered again: the records are as they were
        assertThat(json("GET", api2 + "/jobs/" + controlJob, apiKey, null).path("updatedAt")).isEqualTo(control.path("updatedAt"));
        assertThat(json("GET", api2 + "/jobs/" + afterJob, apiKey, null).path("updatedAt")).isEqualTo(after.path("updatedAt"));
        assertThat(Files.readString(secondLog)).doesNotContain("Exception");
    }

    private static S3Client s3(JsonNode endpoints) {
        return S3Client.builder().endpointOverride(URI.create(endpoints.path("s3").asText())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    private Process serve(Path data, Path endpoints, Path log) throws Exception {
        return jar.start(log, false, "serve", "--job-seconds", "3", "--data-dir", data.toString(), "--endpoints-file", endpoints.toString());
    }
}
