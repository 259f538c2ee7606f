package io.outpaint.handlers;

import io.outpaint.pipeline.CopyResults;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.StepState;

/** The CopyResults state of statemachine/outpaint.asl.json. */
public final class CopyResultsHandler extends StepHandler {

    private final CopyResults step;

    /** For Lambda: the services of this container, from its environment. */
    public CopyResultsHandler() {
        this(PipelineServices.shared());
    }

    public CopyResultsHandler(PipelineServices services) {
        super(services, "CopyResults");
        this.step = new CopyResults(services);
    }

    @Override
    protected StepState run(StepState state) {
        return step.run(state);
    }
}
