package io.outpaint.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.lambda.FunctionRegistry;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local S3 event delivery against S3Mock, with keys S3 takes and S3Mock cannot write in a plain
 * listing: each gets its event, with the key URL-encoded as S3 sends it; and, with a journal, an
 * object whose event was not delivered before a stop gets it at the next start, and only that one.
 */
class S3EventNotifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<JsonNode> EVENTS = new CopyOnWriteArrayList<>();
    @TempDir static Path dir;
    private static S3Emulator s3mock;
    private static S3Client s3;
    private static FunctionRegistry functions;

    @BeforeAll
    static void start() {
        s3mock = new S3Emulator(0, dir.resolve("s3"), false);
        s3 = S3Client.builder().endpointOverride(URI.create(s3mock.url())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        functions = new FunctionRegistry().register("recorder", () -> (RequestStreamHandler) (in, out, context) -> {
            EVENTS.add(JSON.readTree(in));
            out.write("\"ok\"".getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3mock.close();
    }

    @BeforeEach
    void clear() {
        EVENTS.clear();
    }

    private static void bucket(String name) {
        s3.createBucket(b -> b.bucket(name));
        s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status("Enabled")));
    }

    private static void put(String bucket, String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("bytes of " + key.length()));
    }

    /** A PUT as the AWS CLI sends it, the key's slashes as they are (the Java SDK sends "//" as "/%2F", which S3Mock refuses). */
    private static void putRaw(String bucket, String key) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(s3mock.url() + "/" + bucket + "/" + key))
                .PUT(HttpRequest.BodyPublishers.ofString("raw")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** The keys delivered, URL-decoded as the upload trigger decodes them. */
    private static List<String> deliveredKeys() {
        List<String> keys = new ArrayList<>();
        for (JsonNode event : EVENTS) {
            keys.add(URLDecoder.decode(event.path("Records").get(0).path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8));
        }
        return keys;
    }

    private static void awaitDelivered(Predicate<List<String>> done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!done.test(deliveredKeys()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }

    @Test
    void everyKeyS3TakesGetsItsEventDecodedToItselfAndNoneHoldsUpTheOthers() throws Exception {
        bucket("keys");
        List<String> keys = new ArrayList<>(List.of(
                "inputs/control\u0001char.mp4", "inputs/delete\u007f.mp4", "inputs/tab\tand\nnewline.mp4", "inputs/100%.mp4",
                "inputs/%41%2F.mp4", "inputs/plus+and space.mp4", "inputs/caf\u00e9 \u4e2d\u6587 \ud83c\udfac.mp4",
                "inputs/" + "k".repeat(1024 - "inputs/".length())));
        try (S3EventNotifier notifier = new S3EventNotifier(s3, functions, Duration.ofMillis(100))) {
            notifier.watch(new S3EventNotifier.Rule("keys", "inputs/", "recorder"));
            for (String key : keys) {
                put("keys", key);
            }
            putRaw("keys", "inputs/double//slash.mp4");
            keys.add("inputs/double//slash.mp4");
            put("keys", "inputs/plain.mp4");
            keys.add("inputs/plain.mp4");
            awaitDelivered(delivered -> delivered.size() >= keys.size());
            Thread.sleep(500); // several more scans: a second event for any of them would show here
        }
        assertThat(deliveredKeys()).containsExactlyInAnyOrderElementsOf(keys);
        for (JsonNode event : EVENTS) {
            JsonNode object = event.path("Records").get(0).path("s3").path("object");
            // as S3 sends it: URL-encoded, spaces as '+', slashes kept, nothing that needs escaping in a log line
            assertThat(object.path("key").asText()).matches("[A-Za-z0-9%+/._*-]+");
            assertThat(object.path("versionId").asText()).isNotBlank();
        }
        assertThat(EVENTS.stream().map(e -> e.path("Records").get(0).path("s3").path("object").path("key").asText()))
                .contains("inputs/control%01char.mp4", "inputs/100%25.mp4", "inputs/plus%2Band+space.mp4", "inputs/double//slash.mp4");
    }

    @Test
    void withAJournalAStartDeliversWhatTheLastRunDidNotAndOnlyThat() throws Exception {
        bucket("journal");
        Path journal = dir.resolve("s3-events-delivered");
        S3EventNotifier.Rule rule = new S3EventNotifier.Rule("journal", "inputs/", "recorder");
        put("journal", "inputs/before.mp4"); // there before anything watched: its event is due too
        try (S3EventNotifier first = new S3EventNotifier(s3, functions, Duration.ofMillis(100), Optional.of(journal))) {
            first.watch(rule);
            put("journal", "inputs/while-up.mp4");
            awaitDelivered(delivered -> delivered.size() >= 2);
            Instant deadline = Instant.now().plusSeconds(10);
            while (Files.readAllLines(journal).size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50); // recorded once the function has answered
            }
        }
        assertThat(deliveredKeys()).containsExactlyInAnyOrder("inputs/before.mp4", "inputs/while-up.mp4");
        // landed while nothing watched (as just before a crash), and a line cut short by one
        put("journal", "inputs/while-down.mp4");
        Files.writeString(journal, "journal%2Finputs%2Fwhile-d", java.nio.file.StandardOpenOption.APPEND);
        EVENTS.clear();

        try (S3EventNotifier second = new S3EventNotifier(s3, functions, Duration.ofMillis(100), Optional.of(journal))) {
            second.watch(rule);
            awaitDelivered(delivered -> !delivered.isEmpty());
            Thread.sleep(500); // several more scans
        }
        assertThat(deliveredKeys()).containsExactly("inputs/while-down.mp4");
    }

    @Test
    void withoutAJournalObjectsThereBeforeWatchingSendNothing() throws Exception {
        bucket("nojournal");
        put("nojournal", "inputs/old.mp4");
        try (S3EventNotifier notifier = new S3EventNotifier(s3, functions, Duration.ofMillis(100))) {
            notifier.watch(new S3EventNotifier.Rule("nojournal", "inputs/", "recorder"));
            put("nojournal", "inputs/new.mp4");
            awaitDelivered(delivered -> !delivered.isEmpty());
            Thread.sleep(500);
        }
        assertThat(deliveredKeys()).containsExactly("inputs/new.mp4");
    }

    @Test
    void theAwsCliChecksumInAHeaderIsKeptCheckedAndAnsweredForEachPart() throws Exception {
        bucket("parts");
        byte[] part = new byte[5 * 1024 * 1024];
        new java.util.Random(7).nextBytes(part);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(part);
        String crc32 = java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        String upload = s3.createMultipartUpload(b -> b.bucket("parts").key("big.bin")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32)).uploadId();
        String url = s3mock.url() + "/parts/big.bin?uploadId=" + upload + "&partNumber=";
        // as botocore sends a part: the algorithm named, the value in a header, a plain body
        Map<String, String> headers = Map.of("x-amz-sdk-checksum-algorithm", "CRC32", "x-amz-checksum-crc32", crc32);
        HttpResponse<String> taken = putPart(url + 1, part, headers);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        assertThat(taken.headers().firstValue("x-amz-checksum-crc32")).as("the part's checksum answered back").contains(crc32);
        // a value that is not the body's is refused, as S3 refuses it
        HttpResponse<String> wrong = putPart(url + 2, part, Map.of("x-amz-sdk-checksum-algorithm", "CRC32", "x-amz-checksum-crc32", "AAAAAA=="));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("x-amz-checksum-crc32");
        // the complete request names the part's checksum, as the CLI does with the one it was answered
        String etag = taken.headers().firstValue("ETag").orElseThrow();
        s3.completeMultipartUpload(b -> b.bucket("parts").key("big.bin").uploadId(upload).multipartUpload(m -> m.parts(p -> p
                .partNumber(1).eTag(etag).checksumCRC32(crc32))));
        assertThat(s3.headObject(b -> b.bucket("parts").key("big.bin")).contentLength()).isEqualTo(part.length);
    }

    private static HttpResponse<String> putPart(String url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
