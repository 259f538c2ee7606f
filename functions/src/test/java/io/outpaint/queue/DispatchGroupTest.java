package io.outpaint.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Dispatches asked for at once share passes, and none returns before a pass that began after it. */
class DispatchGroupTest {

    @Test
    void aCallAloneRunsItsOwnPass() {
        DispatchGroup group = new DispatchGroup();
        assertThat(group.dispatch(() -> List.of("a"))).containsExactly("a");
        assertThat(group.dispatch(() -> List.of("b"))).containsExactly("b");
    }

    @Test
    void callsAtOnceRunOnePassAtATimeAndEachReturnsOnlyAfterAPassThatBeganAfterIt() throws Exception {
        DispatchGroup group = new DispatchGroup();
        AtomicInteger inPass = new AtomicInteger();
        AtomicInteger passes = new AtomicInteger();
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<long[]> passTimes = new ConcurrentLinkedQueue<>(); // {start, end}
        ConcurrentLinkedQueue<String> overlaps = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<long[]>> calls = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 200; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                long asked = clock.incrementAndGet();
                group.dispatch(() -> {
                    if (inPass.incrementAndGet() > 1) {
                        overlaps.add("two passes at once");
                    }
                    long start = clock.incrementAndGet();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    passes.incrementAndGet();
                    passTimes.add(new long[] {start, clock.incrementAndGet()});
                    inPass.decrementAndGet();
                    return List.of();
                });
                return new long[] {asked, clock.incrementAndGet()};
            }));
        }
        go.countDown();
        for (Future<long[]> call : calls) {
            long[] t = call.get(30, TimeUnit.SECONDS);
            // some pass began after the call was asked for and ended before it returned
            assertThat(passTimes).anyMatch(p -> p[0] > t[0] && p[1] < t[1]);
        }
        pool.shutdown();
        assertThat(overlaps).isEmpty();
        assertThat(passes.get()).isLessThan(200);
    }

    @Test
    void aPassThatFailsCoversNobody() {
        DispatchGroup group = new DispatchGroup();
        assertThatThrownBy(() -> group.dispatch(() -> {
            throw new IllegalStateException("throttled");
        })).hasMessage("throttled");
        assertThat(group.dispatch(() -> List.of("next"))).containsExactly("next");
    }
}
