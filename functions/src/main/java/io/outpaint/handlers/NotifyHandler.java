package io.outpaint.handlers;

import io.outpaint.pipeline.Notify;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;

/** The Notify state of statemachine/outpaint.asl.json. */
public final class NotifyHandler extends StepHandler {

    private final Notify step;

    /** For Lambda: the services of this container, from its environment. */
    public NotifyHandler() {
        this(PipelineServices.shared());
    }

    public NotifyHandler(PipelineServices services) {
        super(services, "Notify");
        this.step = new Notify(services);
    }

    @Override
    protected StepState run(StepState state) {
        return step.run(state);
    }
}
