package io.outpaint.testing;

import io.outpaint.scenario.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every wait the retry loop asks for, without waiting, and can run a hook at each. */
public final class RecordingSleeper implements RetryPolicy.Sleeper {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile Runnable hook = () -> { };
    private volatile boolean reallySleep;

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        waits.add(duration);
        hook.run();
        if (reallySleep) {
            Thread.sleep(duration.toMillis());
        }
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    public void onSleep(Runnable value) {
        hook = value;
    }

    public void reallySleep(boolean value) {
        reallySleep = value;
    }

    public void reset() {
        waits.clear();
        hook = () -> { };
        reallySleep = false;
    }
}
