package io.outpaint.priming;

import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function's priming before SnapStart's snapshot: its steps load and run the first request's
 * code (SDK clients, Jackson, validation) with calls that read nothing real and write nothing. A
 * step that fails is logged and passed over: priming never stops a function from starting.
 */
public final class PrimingHook implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(PrimingHook.class);

    /** One thing primed: a name for the log, and the call. */
    public record Step(String name, Call call) {}

    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** What one priming did: the steps that ran through and those that failed, with why. */
    public record Report(String function, List<String> primed, List<String> failed) {}

    private final String function;
    private final List<Step> steps;

    PrimingHook(String function, List<Step> steps) {
        this.function = function;
        this.steps = List.copyOf(steps);
    }

    public String function() {
        return function;
    }

    public List<Step> steps() {
        return steps;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to undo: the SDK's connection pools drop connections that did not survive the restore
    }

    /** Runs every step; never throws. */
    public Report prime() {
        List<String> primed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        long started = System.nanoTime();
        for (Step step : steps) {
            try {
                step.call().run();
                primed.add(step.name());
            } catch (Exception | LinkageError | AssertionError e) {
                failed.add(step.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                LOG.warn("priming {} ({}) failed, the function starts regardless: {}", function, step.name(), e.toString());
                LOG.debug("priming failure", e);
            }
        }
        LOG.info("primed {} in {} ms: {} step(s) ran, {} failed", function, (System.nanoTime() - started) / 1_000_000,
                primed.size(), failed.size());
        return new Report(function, List.copyOf(primed), List.copyOf(failed));
    }
}
