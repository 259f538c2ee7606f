package io.outpaint.queue;

import io.outpaint.store.SlotLimiter;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the steps that end a job or add one do to the queue: give the slot back, settle the job's
 * budget reservation to what it cost, and let the dispatcher admit the next job. A dispatch that fails is logged, not thrown: the job that
 * called it is done either way, and the periodic sweep admits whatever waits.
 */
public final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final SlotLimiter slots;
    private final Dispatcher dispatcher;
    private final DispatchGroup group;
    private final Consumer<String> settle;

    public Admission(SlotLimiter slots, Dispatcher dispatcher) {
        this(slots, dispatcher, null);
    }

    /** With {@code group}, dispatches asked for at once in this process share passes (null: each runs its own). */
    public Admission(SlotLimiter slots, Dispatcher dispatcher, DispatchGroup group) {
        this(slots, dispatcher, group, jobId -> { });
    }

    /** With {@code settle}, which settles a job's budget reservation (if it holds one) to what the job cost. */
    public Admission(SlotLimiter slots, Dispatcher dispatcher, DispatchGroup group, Consumer<String> settle) {
        this.slots = slots;
        this.dispatcher = dispatcher;
        this.group = group;
        this.settle = settle;
    }

    /**
     * Gives the job's slot back (nothing if it holds none), settles its reservation (nothing if it
     * holds none, or settled already) and admits the head of the queue. Every path that ends a job's
     * use of Scenario comes here; a settlement that fails is left to the sweep.
     */
    public void release(String jobId) {
        slots.release(jobId);
        try {
            settle.accept(jobId);
        } catch (RuntimeException e) {
            LOG.warn("job {}: its budget reservation not settled now ({}); the sweep will", jobId, e.toString());
        }
        dispatch();
    }

    /** Admits jobs while slots are free; failures are left to the sweep. */
    public void dispatch() {
        dispatch(null);
    }

    /**
     * As {@link #dispatch()}, by the caller that has just queued this job (the queue's index may not
     * show it yet). A pass shared with other calls sees it too where calls share a process: there
     * the index is the local one, consistent at once; a Lambda container runs its own pass.
     */
    public void dispatch(String justQueued) {
        if (dispatcher == null) {
            LOG.warn("this function cannot start executions (no STATE_MACHINE_ARN); the sweep admits the next job");
            return;
        }
        try {
            if (group == null) {
                dispatcher.dispatch(justQueued);
            } else {
                group.dispatch(() -> dispatcher.dispatch(justQueued));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not admit the next job now ({}); the sweep will", e.toString());
        }
    }

    public boolean holdsSlot(String jobId) {
        return slots.holders().contains(jobId);
    }
}
