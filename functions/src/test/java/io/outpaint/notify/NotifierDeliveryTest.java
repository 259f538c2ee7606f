package io.outpaint.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    @Test
    void aNameThatResolvesToLoopbackAtDeliveryGetsNoConnectionAndIsNotRetried() {
        assertThatThrownBy(() -> notifier().webhook("http://" + REBOUND + ":" + port + "/hook",
                JsonNodeFactory.instance.objectNode().put("jobId", "j"), HTTP_NO_LOOPBACK))
                .isInstanceOf(WebhookRefusedException.class).hasMessageContaining("loopback");
        assertThat(hooks).hasValue(0);
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
