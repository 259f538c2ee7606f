package io.outpaint.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Tells the world a job ended: a signed POST to the job's webhook, and an EventBridge event when a
 * bus is set. Each webhook connection goes only to addresses the {@link WebhookPolicy} has just
 * checked (the client's DNS resolver is the check), and redirects are never followed.
 */
public final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    public static final String EVENT_SOURCE = "outpaint";
    public static final String EVENT_DETAIL_TYPE = "Outpaint Job Ended";

    private final String secret;
    private final Optional<String> eventBus;
    private final Clock clock;
    private final WebhookPolicy.Resolver resolver;
    private final Map<WebhookPolicy, CloseableHttpClient> clients = new ConcurrentHashMap<>();
    private final java.util.function.Supplier<EventBridgeClient> events;

    public Notifier(String secret, Optional<String> eventBus, Clock clock) {
        this(secret, eventBus, clock, WebhookPolicy.Resolver.SYSTEM);
    }

    public Notifier(String secret, Optional<String> eventBus, Clock clock, WebhookPolicy.Resolver resolver) {
        this(secret, eventBus, clock, resolver, io.outpaint.pipeline.Lazy.of(EventBridgeClient::create));
    }

    /** Over the EventBridge client {@code events} gives (asked for only when a bus is configured and an event is sent). */
    public Notifier(String secret, Optional<String> eventBus, Clock clock, WebhookPolicy.Resolver resolver,
                    java.util.function.Supplier<EventBridgeClient> events) {
        this.secret = secret;
        this.eventBus = eventBus;
        this.clock = clock;
        this.resolver = resolver;
        this.events = events;
    }

    /** As {@link #webhook(String, JsonNode, WebhookPolicy)} under the strict policy: https to public addresses. */
    public void webhook(String url, JsonNode record) {
        webhook(url, record, WebhookPolicy.STRICT);
    }

    /**
     * POSTs the record to {@code url}. {@link WebhookRefusedException} (not retried) when the URL
     * or an address its host resolves to now is not allowed; {@link WebhookDeliveryException}
     * (retried) when the receiver cannot be reached or does not answer 2xx.
     */
    public void webhook(String url, JsonNode record, WebhookPolicy policy) {
        URI uri = policy.parse(url).orElseThrow(() -> new WebhookRefusedException("the webhook URL is not allowed: " + policy.rule()));
        String where = uri.getHost();
        String body = record.toString();
        long timestamp = clock.instant().getEpochSecond();
        HttpPost post = new HttpPost(uri);
        post.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        post.setHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        try (var response = clients.computeIfAbsent(policy, this::client).execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            if (status / 100 != 2) {
                throw new WebhookDeliveryException("the webhook at " + where + " answered " + status
                        + (status / 100 == 3 ? " (redirects are not followed)" : ""), null);
            }
            LOG.info("webhook at {} took the notice", where);
        } catch (Refused e) {
            LOG.warn("webhook at {} refused at delivery: {}", where, e.refusal.getMessage());
            throw e.refusal;
        } catch (IOException e) {
            throw new WebhookDeliveryException("the webhook at " + where + " could not be reached: " + e.getMessage(), e);
        }
    }

    private CloseableHttpClient client(WebhookPolicy policy) {
        RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(5_000).setSocketTimeout(10_000)
                .setConnectionRequestTimeout(5_000).setRedirectsEnabled(false).build();
        return HttpClients.custom().setDefaultRequestConfig(timeouts).disableRedirectHandling().disableAutomaticRetries()
                .disableCookieManagement().setDnsResolver(host -> {
                    try {
                        return policy.addressesOf(host, resolver);
                    } catch (WebhookRefusedException e) {
                        throw new Refused(e);
                    }
                }).build();
    }

    /** Carries a refusal out of the HTTP client, whose resolver may throw only this kind. */
    private static final class Refused extends UnknownHostException {
        private final transient WebhookRefusedException refusal;

        Refused(WebhookRefusedException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }

    /** For SnapStart's priming: builds the EventBridge client and an event's request, and a webhook client; sends nothing. */
    public void prime() throws IOException {
        if (eventBus.isPresent()) {
            // a PutEvents with no entries: EventBridge refuses it (at least one entry is required), so nothing is sent,
            // and the request's whole path (endpoint rules, signing, marshalling, the error's unmarshalling) has run
            try {
                events.get().putEvents(b -> b.entries(java.util.List.of()));
                LOG.warn("EventBridge took a PutEvents with no entries; it should refuse one");
            } catch (software.amazon.awssdk.services.eventbridge.model.EventBridgeException expected) {
                if (expected.statusCode() != 400) {
                    throw expected;
                }
            }
        }
        client(WebhookPolicy.STRICT).close();
    }

    /** An EventBridge event for a job that ended; nothing when no bus is configured. */
    public void event(JsonNode record) {
        if (eventBus.isEmpty()) {
            return;
        }
        var answer = events.get().putEvents(b -> b.entries(e -> e.eventBusName(eventBus.get()).source(EVENT_SOURCE)
                .detailType(EVENT_DETAIL_TYPE).detail(record.toString())));
        if (answer.failedEntryCount() != null && answer.failedEntryCount() > 0) {
            throw new WebhookDeliveryException("EventBridge refused the event: " + answer.entries().get(0).errorMessage(), null);
        }
    }
}
