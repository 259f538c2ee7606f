package io.outpaint.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Dispatches asked for at once in one process share passes, as a group commit does: a call returns
 * once a pass that began after it was asked for has finished (its own, or one that another call ran
 * meanwhile), so each call keeps the guarantee of a dispatch of its own; at most one pass runs at a
 * time. Where one process serves one request at a time (a Lambda container) every call runs its own
 * pass, as before; where many run in one process (every function in one JVM), concurrent
 * dispatchers no longer walk the same head of the queue together, each repeating the others' writes.
 */
public final class DispatchGroup {

    private static final Map<String, DispatchGroup> GROUPS = new ConcurrentHashMap<>();

    private long asked;     // calls so far, each one's ticket
    private long done;      // every ticket up to this one has had a whole pass since it was asked
    private boolean running;

    DispatchGroup() {}

    /** The group of one queue (its table) in this process. */
    public static DispatchGroup of(String queue) {
        return GROUPS.computeIfAbsent(queue, q -> new DispatchGroup());
    }

    /**
     * Runs {@code pass} unless a pass that starts after this call began finishes first; what this
     * call's own pass admitted, or nothing. A pass that fails covers nobody: a waiting call runs its own.
     */
    public List<String> dispatch(Supplier<List<String>> pass) {
        long ticket;
        long mine;
        synchronized (this) {
            ticket = ++asked;
            while (running && done < ticket) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a dispatch", e);
                }
            }
            if (done >= ticket) {
                return List.of(); // a whole pass ran after this call was asked for
            }
            running = true;
            mine = asked; // every call asked for so far was asked before this pass begins
        }
        boolean ok = false;
        try {
            List<String> admitted = pass.get();
            ok = true;
            return admitted;
        } finally {
            synchronized (this) {
                running = false;
                if (ok) {
                    done = Math.max(done, mine);
                }
                notifyAll();
            }
        }
    }
}
