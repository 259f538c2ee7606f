package io.outpaint.handlers;

import io.outpaint.pipeline.CheckStatus;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;

/** The CheckStatus state of statemachine/outpaint.asl.json. */
public final class CheckStatusHandler extends StepHandler {

    private final CheckStatus step;

    /** For Lambda: the services of this container, from its environment. */
    public CheckStatusHandler() {
        this(PipelineServices.shared());
    }

    public CheckStatusHandler(PipelineServices services) {
        super(services, "CheckStatus");
        this.step = new CheckStatus(services);
    }

    @Override
    protected StepState run(StepState state) {
        return step.run(state);
    }
}
