package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobDocument;
import io.outpaint.notify.Notifier;
import io.outpaint.notify.WebhookPolicy;
import io.outpaint.store.JobStore;

/** After the job ended: the final record to its webhook (signed) and to EventBridge. */
public final class Notify implements Step {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    private final JobStore jobs;
    private final Notifier notifier;
    private final WebhookPolicy policy;

    public Notify(JobStore jobs, Notifier notifier, WebhookPolicy policy) {
        this.jobs = jobs;
        this.notifier = notifier;
        this.policy = policy;
    }

    @Override
    public StepState run(StepState state) {
        Job job = jobs.get(state.jobId());
        ObjectNode record = notice(job);
        if (job.webhookUrl() != null) {
            notifier.webhook(job.webhookUrl(), record, policy);
        }
        notifier.event(record);
        return state.ended(StepOutcome.valueOf(job.status().name()), null);
    }

    /** What a notice says: the record without the request's internals or the webhook itself; the input's key and name. */
    static ObjectNode notice(Job job) {
        ObjectNode record = JSON.createObjectNode();
        record.put("jobId", job.jobId());
        record.put("status", job.status().name());
        record.put("createdAt", job.createdAt().toString());
        record.put("updatedAt", job.updatedAt().toString());
        if (job.source() != null && job.source().key() != null) {
            // which file it was: what a receiver shows beside the id
            String name = job.inputName() != null ? job.inputName() : Job.nameIn(job.source().key());
            record.putObject("input").put("bucket", job.source().bucket()).put("key", job.source().key()).put("name", name);
        }
        if (job.error() != null) {
            record.set("error", JobDocument.tree(job.error()));
        }
        record.set("outputs", JobDocument.outputs(job.outputs()));
        if (job.billing() != null) {
            record.set("billing", JobDocument.tree(job.billing()));
        }
        record.set("history", JobDocument.history(job.history()));
        return record;
    }
}
