package io.outpaint.handlers;

import io.outpaint.pipeline.Submit;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;

/** The Submit state of statemachine/outpaint.asl.json. */
public final class SubmitHandler extends StepHandler {

    private final Submit step;

    /** For Lambda: the services of this container, from its environment. */
    public SubmitHandler() {
        this(PipelineServices.shared());
    }

    public SubmitHandler(PipelineServices services) {
        super(services, "Submit");
        this.step = new Submit(services);
    }

    @Override
    protected StepState run(StepState state) {
        return step.run(state);
    }
}
