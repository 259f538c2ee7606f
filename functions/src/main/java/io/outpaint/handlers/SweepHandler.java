package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.pipeline.Reconcile;
import io.outpaint.pipeline.Sweep;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The scheduled sweep (any event starts it): resumes or reconciles stranded jobs, frees slots, admits waiting jobs. */
public final class SweepHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    private final Sweep sweep;

    public SweepHandler() {
        this(PipelineServices.shared());
    }

    public SweepHandler(PipelineServices services) {
        this.sweep = new Sweep(services.jobs(), services.slots(), services.executions(),
                new Reconcile(services.jobs(), services.admission(), services.clock()), services.admission(),
                services.config().maxJobsInFlight());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        Sweep.Report report = PowertoolsLogging.withLogging(context, sweep::run);
        JSON.writeValue(output, report);
    }
}
