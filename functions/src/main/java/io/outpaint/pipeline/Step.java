package io.outpaint.pipeline;

/** One Task state of the state machine: the state in, the next state out. */
@FunctionalInterface
public interface Step {
    StepState run(StepState state);
}
