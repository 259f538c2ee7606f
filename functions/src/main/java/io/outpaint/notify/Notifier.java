package io.outpaint.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** Tells the world a job ended: a signed POST to the job's webhook, and an EventBridge event when a bus is set. */
public final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    public static final String EVENT_SOURCE = "outpaint";
    public static final String EVENT_DETAIL_TYPE = "Outpaint Job Ended";

    private final String secret;
    private final Optional<String> eventBus;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile EventBridgeClient events;

    public Notifier(String secret, Optional<String> eventBus, Clock clock) {
        this.secret = secret;
        this.eventBus = eventBus;
        this.clock = clock;
    }

    public void webhook(String url, JsonNode record) {
        String body = record.toString();
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String where = URI.create(url).getHost();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new WebhookDeliveryException("the webhook at " + where + " answered " + status, null);
            }
            LOG.info("webhook at {} took the notice", where);
        } catch (IOException e) {
            throw new WebhookDeliveryException("the webhook at " + where + " could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookDeliveryException("interrupted while notifying " + where, e);
        }
    }

    /** An EventBridge event for a job that ended; nothing when no bus is configured. */
    public void event(JsonNode record) {
        if (eventBus.isEmpty()) {
            return;
        }
        if (events == null) {
            events = EventBridgeClient.create();
        }
        var answer = events.putEvents(b -> b.entries(e -> e.eventBusName(eventBus.get()).source(EVENT_SOURCE)
                .detailType(EVENT_DETAIL_TYPE).detail(record.toString())));
        if (answer.failedEntryCount() != null && answer.failedEntryCount() > 0) {
            throw new WebhookDeliveryException("EventBridge refused the event: " + answer.entries().get(0).errorMessage(), null);
        }
    }
}
