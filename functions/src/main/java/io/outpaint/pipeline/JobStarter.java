package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.store.JobStore;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Starts a job: its record first (conditional, so a second start of the same job id finds the
 * first), then the execution named after the job id (so a repeated start is the same execution).
 */
public final class JobStarter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineServices services;

    public JobStarter(PipelineServices services) {
        this.services = services;
    }

    /** True when this call created the job; false when it existed already (nothing new started). */
    public boolean start(Job job) {
        if (!services.jobs().create(job)) {
            return false;
        }
        startExecution(job);
        return true;
    }

    /** Starts the execution of a recorded job; a second call for the same job starts nothing new. */
    public String startExecution(Job job) {
        String machine = services.config().stateMachineArn()
                .orElseThrow(() -> new IllegalStateException("environment variable STATE_MACHINE_ARN must be set to start jobs"));
        ObjectNode input = JSON.createObjectNode();
        input.putObject("video").put("bucket", job.source().bucket()).put("key", job.source().key())
                .put("versionId", job.source().versionId());
        input.set("request", job.request());
        String arn;
        try {
            arn = services.sfn().startExecution(b -> b.stateMachineArn(machine).name(job.jobId()).input(input.toString()))
                    .executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            arn = machine.replace(":stateMachine:", ":execution:") + ":" + job.jobId();
        }
        String executionArn = arn;
        services.jobs().update(job.jobId(), j -> j.executionArn() != null ? j : j.withExecutionArn(executionArn));
        return executionArn;
    }

    /** Records a job that failed before it could start (a bad request, not a video), so the reason is kept. */
    public boolean recordRefused(Job job, Job.JobError error) {
        Job refused = job.withError(error, job.createdAt()).moveTo(io.outpaint.job.JobStatus.FAILED, job.createdAt(), error.code());
        return services.jobs().create(refused);
    }

    public JobStore jobs() {
        return services.jobs();
    }
}
