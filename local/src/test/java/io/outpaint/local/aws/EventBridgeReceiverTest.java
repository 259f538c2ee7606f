package io.outpaint.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** The receiver through the SDK's own client: entries kept in order, and PutEvents refused as EventBridge refuses it. */
class EventBridgeReceiverTest {

    @Test
    void keepsWhatItIsSentAndRefusesNoEntriesOrMoreThanTen() throws Exception {
        try (EventBridgeReceiver receiver = new EventBridgeReceiver(0);
             EventBridgeClient events = EventBridgeClient.builder().endpointOverride(URI.create(receiver.url()))
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            var answer = events.putEvents(b -> b.entries(e -> e.eventBusName("bus").source("outpaint").detailType("t")
                    .detail("{\"jobId\":\"a\"}")));
            assertThat(answer.failedEntryCount()).isZero();
            assertThat(answer.entries()).hasSize(1);
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().get(0).path("Detail").asText()).isEqualTo("{\"jobId\":\"a\"}");

            assertThatThrownBy(() -> events.putEvents(b -> b.entries(List.of())))
                    .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    });
            List<PutEventsRequestEntry> eleven = IntStream.range(0, 11).mapToObj(i -> PutEventsRequestEntry.builder()
                    .source("outpaint").detailType("t").detail("{}").build()).toList();
            assertThatThrownBy(() -> events.putEvents(b -> b.entries(eleven))).isInstanceOf(EventBridgeException.class)
                    .hasMessageContaining("less than or equal to 10");
            assertThat(receiver.received()).as("nothing kept from a refused call").hasSize(1);
        }
    }
}
