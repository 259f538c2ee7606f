package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A value built on its first call, once, even when many threads ask at once; a failed build is tried again. */
class LazyTest {

    @Test
    void buildsOnTheFirstCallAndOnlyOnce() {
        AtomicInteger built = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> "client " + built.incrementAndGet());

        assertThat(built).hasValue(0);
        assertThat(lazy.isBuilt()).isFalse();
        assertThat(lazy.get()).isEqualTo("client 1");
        assertThat(lazy.get()).isEqualTo("client 1");
        assertThat(built).hasValue(1);
        assertThat(lazy.isBuilt()).isTrue();
    }

    @Test
    void manyThreadsAskingAtOnceBuildOneValue() throws Exception {
        AtomicInteger built = new AtomicInteger();
        Lazy<Object> lazy = Lazy.of(() -> {
            built.incrementAndGet();
            return new Object();
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(lazy.get());
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(built).hasValue(1);
        assertThat(seen).hasSize(8).containsOnly(lazy.get());
    }

    @Test
    void aBuildThatFailsIsTriedAgainOnTheNextCall() {
        AtomicInteger attempts = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("no region");
            }
            return "client";
        });

        assertThatThrownBy(lazy::get).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no region");
        assertThat(lazy.isBuilt()).isFalse();
        assertThat(lazy.get()).isEqualTo("client");
    }

    @Test
    void aValueGivenAtTheStartIsThereWithoutABuild() {
        assertThat(Lazy.ofValue("ready").isBuilt()).isTrue();
        assertThat(Lazy.ofValue("ready").get()).isEqualTo("ready");
    }
}
