package io.outpaint.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** A job's ended event, through the EventBridge client the notifier is given (the local receiver's test sends it for real). */
class NotifierEventsTest {

    /** Keeps what it was sent; refuses every entry when told to. */
    private static final class RecordingEvents implements EventBridgeClient {
        final List<PutEventsRequestEntry> sent = new ArrayList<>();
        boolean refuse;

        @Override
        public PutEventsResponse putEvents(PutEventsRequest request) {
            sent.addAll(request.entries());
            return refuse
                    ? PutEventsResponse.builder().failedEntryCount(1).entries(PutEventsResultEntry.builder()
                            .errorCode("InternalFailure").errorMessage("the bus is busy").build()).build()
                    : PutEventsResponse.builder().failedEntryCount(0).entries(PutEventsResultEntry.builder().eventId("e1").build()).build();
        }

        @Override
        public String serviceName() {
            return "events";
        }

        @Override
        public void close() {}
    }

    private static ObjectNode record() {
        return JsonNodeFactory.instance.objectNode().put("jobId", "api-1").put("status", "SUCCEEDED");
    }

    @Test
    void anEndedJobIsOneEventOnTheConfiguredBusWithItsRecordAsDetail() {
        RecordingEvents events = new RecordingEvents();
        new Notifier("s", Optional.of("jobs-bus"), Clock.systemUTC(), WebhookPolicy.Resolver.SYSTEM, () -> events).event(record());
        assertThat(events.sent).singleElement().satisfies(e -> {
            assertThat(e.eventBusName()).isEqualTo("jobs-bus");
            assertThat(e.source()).isEqualTo(Notifier.EVENT_SOURCE);
            assertThat(e.detailType()).isEqualTo(Notifier.EVENT_DETAIL_TYPE);
            assertThat(e.detail()).isEqualTo(record().toString());
        });
    }

    @Test
    void anEventTheBusRefusesIsADeliveryFailureToRetry() {
        RecordingEvents events = new RecordingEvents();
        events.refuse = true;
        Notifier notifier = new Notifier("s", Optional.of("jobs-bus"), Clock.systemUTC(), WebhookPolicy.Resolver.SYSTEM, () -> events);
        assertThatThrownBy(() -> notifier.event(record())).isInstanceOf(WebhookDeliveryException.class).hasMessageContaining("the bus is busy");
    }

    @Test
    void withoutABusNoClientIsEverBuilt() {
        AtomicInteger asked = new AtomicInteger();
        new Notifier("s", Optional.empty(), Clock.systemUTC(), WebhookPolicy.Resolver.SYSTEM, () -> {
            asked.incrementAndGet();
            return new RecordingEvents();
        }).event(record());
        assertThat(asked).hasValue(0);
    }
}
