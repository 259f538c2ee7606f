package io.outpaint.priming;

import java.util.ArrayList;
import java.util.List;
import org.crac.Core;

/**
 * Where handlers register what they prime before SnapStart's snapshot. The hooks are kept here
 * as well as registered with CRaC's global context: that context holds its resources weakly, and
 * a test or a benchmark (on a JVM without CRaC, where the context never calls them) runs the
 * same hooks through {@link #primeAll()}.
 */
public final class Priming {

    private static final Priming GLOBAL = new Priming(true);

    private final boolean toCrac;
    private final List<PrimingHook> hooks = new ArrayList<>();

    private Priming(boolean toCrac) {
        this.toCrac = toCrac;
    }

    /** The hooks of this JVM, registered with CRaC: what Lambda runs before the snapshot. */
    public static Priming global() {
        return GLOBAL;
    }

    /** A registry that only keeps its hooks, for tests. */
    public static Priming recording() {
        return new Priming(false);
    }

    /** Registers the priming of one function; its steps run in order, each failure logged and passed over. */
    public synchronized PrimingHook register(String function, List<PrimingHook.Step> steps) {
        PrimingHook hook = new PrimingHook(function, steps);
        hooks.add(hook);
        if (toCrac) {
            Core.getGlobalContext().register(hook);
        }
        return hook;
    }

    public synchronized List<PrimingHook> hooks() {
        return List.copyOf(hooks);
    }

    /** Runs every hook's priming as {@code beforeCheckpoint} would; what each step did. */
    public List<PrimingHook.Report> primeAll() {
        List<PrimingHook.Report> reports = new ArrayList<>();
        for (PrimingHook hook : hooks()) {
            reports.add(hook.prime());
        }
        return reports;
    }
}
