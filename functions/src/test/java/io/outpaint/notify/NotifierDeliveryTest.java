package io.outpaint.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery checks the address again: a name that resolved to a public address when the job was
 * created and resolves to loopback now (DNS rebinding) gets no connection; redirects are not followed.
 */
class NotifierDeliveryTest {

    private static final WebhookPolicy HTTP_NO_LOOPBACK = new WebhookPolicy(true, false);
    private static final WebhookPolicy HTTP_AND_LOOPBACK = new WebhookPolicy(true, true);
    /** A name no real resolver knows, which resolves to loopback here: only this resolver can have connected. */
    private static final String REBOUND = "rebound.hooks.example.com";
    private static final WebhookPolicy.Resolver RESOLVER = host -> {
        if (!host.equals(REBOUND)) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getLoopbackAddress()};
    };

    private final AtomicInteger hooks = new AtomicInteger();
    private HttpServer receiver;
    private int port;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        receiver.createContext("/hook", exchange -> {
            hooks.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + port + "/hook");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private static Notifier notifier() {
        return new Notifier("whsec-test", Optional.empty(), Clock.systemUTC(), RESOLVER);
    }

    /** Answers {@link #REBOUND} with a public address first (the create-time check), with loopback ever after. */
    private static final class Rebinding implements WebhookPolicy.Resolver {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (!host.equals(REBOUND)) {
                throw new UnknownHostException(host);
            }
            return calls.getAndIncrement() == 0
                    ? new InetAddress[] {InetAddress.getByAddress(REBOUND, new byte[] {93, (byte) 184, (byte) 215, 14})}
                    : new InetAddress[] {InetAddress.getByAddress(REBOUND, new byte[] {127, 0, 0, 1})};
        }
    }

    /** A loopback port that counts the TCP connections made to it, whatever is said over them (http or TLS). */
    private static final class CountingPort implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        CountingPort() throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            Thread accepter = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket accepted = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "counting-port");
            accepter.setDaemon(true);
            accepter.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https", "http"})
    void aNameCheckedPublicAtCreateAndLoopbackAtDeliveryGetsNoConnectionAndIsNotRetried(String scheme) throws Exception {
        WebhookPolicy policy = scheme.equals("https") ? WebhookPolicy.STRICT : HTTP_NO_LOOPBACK;
        Rebinding resolver = new Rebinding();
        try (CountingPort target = new CountingPort()) {
            String url = scheme + "://" + REBOUND + ":" + target.socket.getLocalPort() + "/hook";
            assertThat(policy.problemWith(url, resolver)).as("the create-time check saw a public address").isEmpty();
            assertThatThrownBy(() -> new Notifier("whsec-test", Optional.empty(), Clock.systemUTC(), resolver)
                    .webhook(url, JsonNodeFactory.instance.objectNode().put("jobId", "j"), policy))
                    .isInstanceOf(WebhookRefusedException.class).hasMessageContaining("resolves to 127.0.0.1").hasMessageContaining("loopback");
            Thread.sleep(200); // a connection, had one been made, is counted by now
            assertThat(target.connections).as("connections to the rebound address").hasValue(0);
        }
        assertThat(resolver.calls).as("one resolution at create, one at delivery, none for a retry").hasValue(2);
        assertThat(notifyRetries()).as("the state machine does not retry a refusal")
                .doesNotContain(WebhookRefusedException.class.getName(), "States.ALL", "States.TaskFailed");
    }

    /** Every error name the Notify states of the state machine retry. */
    private static List<String> notifyRetries() throws IOException {
        JsonNode states = new ObjectMapper().readTree(Files.readString(Path.of("..", "statemachine", "outpaint.asl.json"))).path("States");
        List<String> retried = new ArrayList<>();
        states.fields().forEachRemaining(state -> {
            if (state.getValue().path("Resource").asText().equals("${NotifyFunctionArn}")) {
                state.getValue().path("Retry").forEach(r -> r.path("ErrorEquals").forEach(e -> retried.add(e.asText())));
            }
        });
        assertThat(retried).as("the Notify states and their retries").contains(WebhookDeliveryException.class.getName());
        return retried;
    }

    @Test
    void theSameNameIsDeliveredWhereLoopbackIsAllowedSoTheCheckedResolverIsTheOneConnecting() {
        notifier().webhook("http://" + REBOUND + ":" + port + "/hook", JsonNodeFactory.instance.objectNode().put("jobId", "j"),
                HTTP_AND_LOOPBACK);
        assertThat(hooks).hasValue(1);
    }

    @Test
    void aRedirectIsNotFollowedAndCountsAsNotTaken() {
        assertThatThrownBy(() -> notifier().webhook("http://" + REBOUND + ":" + port + "/moved",
                JsonNodeFactory.instance.objectNode().put("jobId", "j"), HTTP_AND_LOOPBACK))
                .isInstanceOf(WebhookDeliveryException.class).hasMessageContaining("302").hasMessageContaining("not followed");
        assertThat(hooks).hasValue(0);
    }

    @Test
    void theStrictPolicyRefusesPlainHttpAndLiteralLoopbackAtDelivery() {
        assertThatThrownBy(() -> notifier().webhook("http://127.0.0.1:" + port + "/hook",
                JsonNodeFactory.instance.objectNode(), WebhookPolicy.STRICT)).isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(() -> notifier().webhook("http://127.0.0.1:" + port + "/hook",
                JsonNodeFactory.instance.objectNode(), HTTP_NO_LOOPBACK)).isInstanceOf(WebhookRefusedException.class);
        assertThat(hooks).hasValue(0);
    }
}
