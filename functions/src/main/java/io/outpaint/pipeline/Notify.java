package io.outpaint.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobDocument;
import io.outpaint.notify.Notifier;
import io.outpaint.notify.WebhookPolicy;
import io.outpaint.segments.Segments;
import io.outpaint.store.JobStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the job ended: the final record to its webhook (signed) and to EventBridge. A long clip joined again after a
 * user's segment retry ends again, in the join's own execution, and is notified again: its output at the same key has
 * changed, and the notice says so ({@code segmentRetry}) under a {@code noticeId} of its own. A clip that fails because a
 * segment failed ends in that segment's execution: the segment's Notify sends the clip's notice as well. One the sweep
 * fails, repairing a fan-in a crash lost ({@link SegmentFanIn#heal}), is sent its notice by the sweep ({@link #send}).
 */
public final class Notify implements Step {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final Logger LOG = LoggerFactory.getLogger(Notify.class);

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
        if (!job.status().isTerminal()) {
            // reopened by a user's segment retry since this execution ended it (a notice retried late): the re-join's
            // execution notifies its end; a notice of this one now would tell of a job that has not ended
            LOG.info("job {} is {} again (a segment retried); its next end is notified, not this one", job.jobId(), job.status());
            return state.ended(StepOutcome.OWNED_BY_ANOTHER_EXECUTION, null);
        }
        send(job);
        // a segment whose failure failed its long clip: the clip's notice too (the clip's own execution ended at its split,
        // and no other execution runs for it until a retry joins it)
        Segments.segmentOf(job).flatMap(of -> jobs.find(of.parent())).filter(parent -> SegmentFanIn.failedBy(parent, job))
                .ifPresent(this::send);
        return state.ended(StepOutcome.valueOf(job.status().name()), null);
    }

    /** The notice of {@code job}, which has ended: to its webhook (when it has one) and as an event. */
    public void send(Job job) {
        ObjectNode record = notice(job);
        if (job.webhookUrl() != null) {
            notifier.webhook(job.webhookUrl(), record, policy);
        }
        notifier.event(record);
    }

    /**
     * What a notice says: the record without the request's internals or the webhook itself; the input's key and name.
     * {@code noticeId} names this end of the job ({@code <jobId>.<n>}, n its ends so far): the same for every delivery of
     * one notice, another for a re-join's, so a receiver that drops repeats on it keeps the re-join's. An end after a
     * user's segment retry carries {@code segmentRetry}, the retry it follows, as {@code segments.retries} records it.
     */
    static ObjectNode notice(Job job) {
        ObjectNode record = JSON.createObjectNode();
        record.put("noticeId", job.jobId() + "." + job.ends());
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
        List<Segments.Retry> retries = Segments.isParent(job) ? Segments.retries(job) : List.of();
        if (job.ends() > 1 && !retries.isEmpty()) {
            Segments.Retry last = retries.get(retries.size() - 1);
            record.putObject("segmentRetry").put("segment", last.segment()).put("jobId", last.jobId())
                    .put("previousJobId", last.previousJobId()).put("previousSeed", last.previousSeed()).put("seed", last.seed())
                    .put("at", last.at());
        }
        return record;
    }
}
