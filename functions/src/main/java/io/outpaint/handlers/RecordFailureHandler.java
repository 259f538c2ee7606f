package io.outpaint.handlers;

import io.outpaint.pipeline.RecordFailure;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;

/** The RecordFailure state of statemachine/outpaint.asl.json. */
public final class RecordFailureHandler extends StepHandler {

    private final RecordFailure step;

    /** For Lambda: the services of this container, from its environment. */
    public RecordFailureHandler() {
        this(PipelineServices.shared());
    }

    public RecordFailureHandler(PipelineServices services) {
        super(services, "RecordFailure");
        this.step = new RecordFailure(services);
    }

    @Override
    protected StepState run(StepState state) {
        return step.run(state);
    }
}
