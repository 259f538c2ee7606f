package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.JobStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Cancels a job, and says what that means for it: one that never reached Scenario is billed nothing; "
                + "Scenario cannot cancel a job it was sent, so it may still finish and bill that one.")
final class CancelCommand implements Callable<Integer> {

    /** Where Scenario has been asked to generate (SUBMITTING: the call may have been sent). */
    private static final Set<JobStatus> AT_SCENARIO = EnumSet.of(JobStatus.SUBMITTING, JobStatus.SUBMITTED, JobStatus.RUNNING, JobStatus.COPYING);
    /** Admitted, its execution started, stopped before Submit: a canceled job cannot move on to SUBMITTING. */
    private static final Set<JobStatus> STARTED = EnumSet.of(JobStatus.ADMITTED, JobStatus.UPLOADING);

    @Mixin ClientCommands.Endpoint endpoint;
    @Parameters(paramLabel = "JOB_ID") String jobId;
    @Option(names = "--json", description = "The API's JSON answer, as it is.") boolean json;

    @Override
    public Integer call() throws Exception {
        ApiClient api = endpoint.client();
        ApiClient.Answer canceled = api.post("/jobs/" + ApiClient.segment(jobId) + "/cancel", null, Map.of());
        if (json || !canceled.ok()) {
            return ClientCommands.print(canceled);
        }
        // the cancel answer shows CANCELED only; the record's history says how far the job had got
        ApiClient.Answer record = api.get("/jobs/" + ApiClient.segment(jobId));
        Outpaint.out.println(record.ok() ? line(record.body())
                : "Job " + jobId + " canceled; " + canceled.body().path("note").asText("its record could not be read back"));
        return 0;
    }

    /** What canceling meant for a job, from its record after the cancel: how far it had got, and whether it may be billed. */
    static String line(JsonNode job) {
        Optional<JobStatus> last = lastBeforeCancel(job.path("history"));
        String head = "Job " + job.path("jobId").asText() + " canceled" + last.map(s -> " while " + s).orElse("");
        if (job.path("scenario").hasNonNull("jobId") || last.filter(AT_SCENARIO::contains).isPresent()) {
            return head + "; Scenario may still finish it and bill it (it cannot cancel a job it was sent), and its result will not be copied";
        }
        if (last.filter(STARTED::contains).isPresent()) {
            return head + "; it was stopped before Scenario was asked to generate: nothing is billed";
        }
        if (last.isPresent()) {
            return head + "; it never reached Scenario: nothing is billed";
        }
        return head + "; if it had reached Scenario, Scenario may still finish it and bill it";
    }

    /** The status the job was in when it was canceled: the one before CANCELED in its history. */
    private static Optional<JobStatus> lastBeforeCancel(JsonNode history) {
        Optional<JobStatus> last = Optional.empty();
        for (JsonNode change : history) {
            String status = change.path("status").asText();
            if (status.equals(JobStatus.CANCELED.name())) {
                return last;
            }
            try {
                last = Optional.of(JobStatus.valueOf(status));
            } catch (IllegalArgumentException e) {
                // a status newer than this CLI: says nothing about Scenario
                last = Optional.empty();
            }
        }
        return last;
    }
}
