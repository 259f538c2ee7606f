package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "wait", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Follows a job to its end with a progress bar, and with -o saves its result "
                + "(exit 0 when it SUCCEEDED, 1 when it did not or the wait ran out).")
final class WaitCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ClientCommands.Endpoint endpoint;
    @Parameters(paramLabel = "JOB_ID") String jobId;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE|FOLDER",
            description = "Save the result here once the job SUCCEEDED: a file, or a folder (one that exists, or any ending in /); "
                    + "its folder is created (default: not saved; 'outpaint get' saves it later).")
    String output;
    @Option(names = "--force", description = "Replace the file -o names if it exists (without it, that is refused).")
    boolean force;
    @Option(names = "--timeout-seconds", defaultValue = "3600", paramLabel = "N",
            description = "Stop waiting after this long, at least 1 (default: ${DEFAULT-VALUE}); the job goes on.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timeout-seconds " + timeoutSeconds + " is not allowed; allowed: 1 or more");
        }
        Optional<ResultFile> result = Optional.ofNullable(output).map(o -> ResultFile.forOption(spec.commandLine(), o, force));
        ApiClient api = endpoint.client();
        Outpaint.out.println("Following job " + jobId + " (Ctrl-C stops following, not the job)");
        JsonNode job;
        try (StopNotice stop = new StopNotice("wait", () -> JobFollower.stoppedFollowing(jobId))) {
            job = new JobFollower(api, Outpaint.out).follow(jobId, timeoutSeconds, JobFollower.goesOn(jobId));
        }
        return JobResult.finish(spec, job, result);
    }
}
