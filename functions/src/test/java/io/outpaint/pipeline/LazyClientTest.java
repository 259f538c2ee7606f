package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client built on its first call, once, with the real client's exceptions as they are. */
class LazyClientTest {

    @Test
    void buildsTheClientOnItsFirstCallAndOnlyOnce() throws Exception {
        AtomicInteger built = new AtomicInteger();
        Callable<String> client = LazyClient.of(Callable.class, () -> {
            built.incrementAndGet();
            return () -> "answer";
        });

        assertThat(client.toString()).isEqualTo("lazy Callable");
        assertThat(built).hasValue(0);
        assertThat(client.call()).isEqualTo("answer");
        assertThat(client.call()).isEqualTo("answer");
        assertThat(built).hasValue(1);
    }

    @Test
    void throwsTheRealClientsExceptionUnwrapped() {
        Callable<String> client = LazyClient.of(Callable.class, () -> () -> {
            throw new IllegalStateException("no such key");
        });

        assertThatThrownBy(client::call).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no such key");
    }
}
