package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Downloads a finished job's result (checked against its size and sha256, then moved into place); "
                + "'outpaint status JOB_ID' shows the job without downloading.")
final class GetCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ClientCommands.Endpoint endpoint;
    @Parameters(paramLabel = "JOB_ID") String jobId;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE|FOLDER",
            description = "Where to save it: a file, or a folder (one that exists, or any ending in /) "
                    + "(default: ./outpaint-results/outpaint-<jobId>.mp4); its folder is created.")
    String output;
    @Option(names = "--force", description = "Replace the file -o names if it exists (without it, that is refused).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ResultFile result = ResultFile.forOption(spec.commandLine(), output, force);
        ApiClient.Answer answer = endpoint.client().get("/jobs/" + ApiClient.segment(jobId));
        if (!answer.ok()) {
            return ClientCommands.print(answer);
        }
        JsonNode job = answer.body();
        String status = job.path("status").asText();
        String title = JobSummary.title(job, 60);
        if (!status.equals("SUCCEEDED")) {
            throw new CommandFailure(JobFollower.FINAL.contains(status) ? JobFollower.ending(job) + "; it has no result"
                    + JobFollower.retrySegment(job).map(next -> "; " + next).orElse("")
                    : "job " + jobId + (title.isEmpty() ? "" : " (" + title + ")") + " is " + status + " ("
                    + Math.round(job.path("progress").asDouble() * 100)
                    + "%); no result yet: 'outpaint wait " + jobId + " -o FILE' follows it and saves the result");
        }
        Outpaint.out.println("Job " + jobId + (title.isEmpty() ? "" : ": " + title) + ", SUCCEEDED");
        // a long clip joined again over segments generated again: which ones, so the file is known for what it is
        String again = JobSummary.regenerated(job);
        if (!again.isEmpty()) {
            Outpaint.out.println("  " + again + ":");
            JobSummary.retries(job, java.time.Instant.now()).forEach(r -> Outpaint.out.println("    " + r));
        }
        JobResult.save(job, result);
        return 0;
    }
}
