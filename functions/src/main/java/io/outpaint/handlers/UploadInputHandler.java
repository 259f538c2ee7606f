package io.outpaint.handlers;

import io.outpaint.pipeline.UploadInput;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;

/** The UploadInput state of statemachine/outpaint.asl.json. */
public final class UploadInputHandler extends StepHandler {

    private final UploadInput step;

    /** For Lambda: the services of this container, from its environment. */
    public UploadInputHandler() {
        this(PipelineServices.shared());
    }

    public UploadInputHandler(PipelineServices services) {
        super(services, "UploadInput");
        this.step = new UploadInput(services);
    }

    @Override
    protected StepState run(StepState state) {
        return step.run(state);
    }
}
