package io.outpaint.local;

import io.outpaint.local.aws.StepFunctionsSidecar;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the parts of a {@link LocalCloud} that can die on their own: the Step Functions sidecar
 * (a Node process: its end is seen at once), DynamoDB Local and S3Mock (their ports are tried
 * every {@code every}). A dead part is named to the listener as soon as it is seen, then started
 * again on its own port when that loses nothing (the sidecar always: its executions are resumed
 * by the sweep; the emulators over a data dir), and the listener deploys what the new start lacks
 * and resumes the jobs. A part that cannot be started again, whose state was in memory only, or
 * that dies {@value #DEATHS_ALLOWED} times within {@link #DEATH_WINDOW}, fails the runtime: the
 * listener is told it cannot go on, and the watch ends.
 */
public final class PartWatch implements AutoCloseable {

    /** What the watch tells. */
    public interface Listener {
        /** A line for people, as it happens: which part died, what is done about it. */
        void said(String line);

        /** {@code part} was started again: deploy what it lost, resume the jobs; what was done, for people. */
        String restarted(LocalCloud.Part part) throws Exception;

        /** The runtime cannot go on: the line says which part, why, and what to do. */
        void failed(String line);
    }

    static final int DEATHS_ALLOWED = 3;
    static final Duration DEATH_WINDOW = Duration.ofMinutes(1);
    /** How long a sidecar ended by SIGINT is given for the runtime's own stop to show. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private final LocalCloud cloud;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    private final Map<LocalCloud.Part, Deque<Long>> deaths = new EnumMap<>(LocalCloud.Part.class);
    /** The sidecar whose end is hooked: a restart brings a new one to hook. */
    private StepFunctionsSidecar hooked;
    private volatile boolean over;

    PartWatch(LocalCloud cloud, Duration every, Listener listener) {
        this.cloud = cloud;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outpaint-part-watch");
            t.setDaemon(true);
            return t;
        });
        timer.execute(this::hookSidecar);
        timer.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The sidecar's end runs a check at once, not at the next tick. */
    private void hookSidecar() {
        StepFunctionsSidecar now = cloud.sidecar();
        if (now != hooked) {
            hooked = now;
            now.onExit(() -> {
                if (!timer.isShutdown()) {
                    timer.execute(this::check);
                }
            });
        }
    }

    private void check() {
        if (over || cloud.isClosed()) {
            return;
        }
        try {
            for (LocalCloud.Part part : LocalCloud.Part.values()) {
                if (!over && cloud.isDown(part)) {
                    revive(part);
                }
            }
            hookSidecar();
        } catch (RuntimeException e) {
            // the watch itself must go on
            System.err.println("the watch of the local runtime's parts: " + e);
        }
    }

    private void revive(LocalCloud.Part part) {
        if (part == LocalCloud.Part.STEP_FUNCTIONS && cloud.sidecar().endedByInterrupt()) {
            // a Ctrl-C reaches the sidecar with the JVM that runs it: that stop is the runtime's own, under way by now
            try {
                Thread.sleep(INTERRUPT_GRACE.toMillis());
            } catch (InterruptedException e) {
                return; // the watch was closed: the runtime stops
            }
        }
        if (over || cloud.isClosed() || shuttingDown()) {
            return;
        }
        String end = cloud.describeEnd(part);
        int port = cloud.port(part);
        if (!cloud.restartable(part)) {
            fail(part.title() + " died (" + end + "); its state was in memory only and is gone, so the runtime stops"
                    + " (serve --data-dir DIR keeps it across such a restart)");
            return;
        }
        Deque<Long> times = deaths.computeIfAbsent(part, p -> new ArrayDeque<>());
        long now = System.nanoTime();
        times.addLast(now);
        while (now - times.peekFirst() > DEATH_WINDOW.toNanos()) {
            times.removeFirst();
        }
        if (times.size() >= DEATHS_ALLOWED) {
            fail(part.title() + " died " + times.size() + " times within " + DEATH_WINDOW.toSeconds() + " s (last: " + end
                    + "); the runtime stops: see the log for why it dies");
            return;
        }
        listener.said(part.title() + " died (" + end + "); starting it again on port " + port);
        long started = System.nanoTime();
        try {
            cloud.restart(part);
        } catch (Exception e) {
            fail(part.title() + " died (" + end + ") and did not start again on port " + port + ": " + e.getMessage()
                    + "; the runtime stops");
            return;
        }
        if (cloud.isClosed()) {
            return;
        }
        try {
            String done = listener.restarted(part);
            listener.said(String.format("%s is back on port %d (%.1f s)%s", part.title(), port, (System.nanoTime() - started) / 1e9,
                    done.isEmpty() ? "" : "; " + done));
        } catch (Exception e) {
            if (!cloud.isClosed()) {
                fail(part.title() + " started again, but the runtime could not take it up: " + e.getMessage() + "; the runtime stops");
            }
        }
    }

    /** Whether this JVM has begun to stop (its shutdown hooks run): parts end then as they are stopped. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private void fail(String line) {
        over = true;
        listener.failed(line);
    }

    @Override
    public void close() {
        over = true;
        timer.shutdownNow();
    }
}
