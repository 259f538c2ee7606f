package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.outpaint.local.LocalPipeline;
import io.outpaint.notify.WebhookSignature;
import io.outpaint.simulator.video.Mp4Video;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Completion notices: the final record POSTed to the job's webhook, signed, and retried until taken. */
class WebhookTest {

    private record Notice(String timestamp, String signature, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Notice> NOTICES = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    private static LocalPipeline pipeline;
    private static HttpServer receiver;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withJobDuration(Duration.ofMillis(800)));
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/hook/clip.mp4").contentType("video/mp4"), RequestBody.fromFile(video));
        }
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            NOTICES.add(new Notice(exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), body));
            exchange.sendResponseHeaders(FAILURES_LEFT.getAndDecrement() > 0 ? 503 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        pipeline.close();
    }

    private static String create(String webhook) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/jobs"))
                .header("x-api-key", pipeline.httpApi().apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"video\":{\"key\":\"inputs/hook/clip.mp4\"},\"request\":{\"prompt\":\"p\"},"
                        + "\"notify\":{\"webhookUrl\":\"" + webhook + "\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isIn(202, 400);
        return answer.body();
    }

    private static List<Notice> noticesFor(String jobId, int atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            List<Notice> mine = NOTICES.stream().filter(n -> n.body().contains("\"jobId\":\"" + jobId + "\"")).toList();
            if (mine.size() >= atLeast) {
                return mine;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + atLeast + " notices for " + jobId);
    }

    @Test
    void theFinalRecordArrivesSignedAndTheSignatureChecksOut() throws Exception {
        String jobId = JSON.readTree(create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")).path("jobId").asText();
        Notice notice = noticesFor(jobId, 1).get(0);
        JsonNode record = JSON.readTree(notice.body());
        assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(record.path("outputs").get(0).path("sha256").asText()).hasSize(64);
        assertThat(WebhookSignature.verify(pipeline.webhookSecret(), notice.timestamp(), notice.body(), notice.signature(),
                Duration.ofMinutes(5), Instant.now())).isTrue();
        // the same check written from the documented scheme, without our helper
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(pipeline.webhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((notice.timestamp() + "." + notice.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(notice.signature()).isEqualTo(expected);
        assertThat(WebhookSignature.verify("another-secret", notice.timestamp(), notice.body(), notice.signature(),
                Duration.ofMinutes(5), Instant.now())).isFalse();
        assertThat(WebhookSignature.verify(pipeline.webhookSecret(), notice.timestamp(), notice.body().replace("SUCCEEDED", "FAILED"),
                notice.signature(), Duration.ofMinutes(5), Instant.now())).isFalse();
    }

    @Test
    void theEndedJobIsPublishedToEventBridgeToo() throws Exception {
        String jobId = JSON.readTree(create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")).path("jobId").asText();
        noticesFor(jobId, 1);
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode event = null;
        while (event == null && Instant.now().isBefore(deadline)) {
            for (JsonNode entry : pipeline.cloud().events().received()) {
                if (JSON.readTree(entry.path("Detail").asText()).path("jobId").asText().equals(jobId)) {
                    event = entry;
                }
            }
            Thread.sleep(100);
        }
        assertThat(event).as("no EventBridge event for " + jobId).isNotNull();
        assertThat(event.path("Source").asText()).isEqualTo(io.outpaint.notify.Notifier.EVENT_SOURCE);
        assertThat(event.path("DetailType").asText()).isEqualTo(io.outpaint.notify.Notifier.EVENT_DETAIL_TYPE);
        assertThat(event.path("EventBusName").asText()).isEqualTo("default");
        JsonNode detail = JSON.readTree(event.path("Detail").asText());
        assertThat(detail.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(detail.path("outputs")).as("finished, raw, poster").hasSize(3);
        assertThat(event.toString()).doesNotContain("webhook").doesNotContain(pipeline.webhookSecret());
    }

    @Test
    void aReceiverThatFailsIsRetriedUntilItTakesTheNotice() throws Exception {
        FAILURES_LEFT.set(2);
        String jobId = JSON.readTree(create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")).path("jobId").asText();
        assertThat(noticesFor(jobId, 3)).hasSize(3); // two refusals, then taken
    }

    @Test
    void refusesAWebhookThatIsNotAnHttpUrl() throws Exception {
        assertThat(create("ftp://example.com/hook")).contains("notify.webhookUrl");
    }
}
