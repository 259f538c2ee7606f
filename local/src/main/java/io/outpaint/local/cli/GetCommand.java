package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Downloads a finished job's result (checked against its size and sha256, then moved into place).")
final class GetCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ClientCommands.Endpoint endpoint;
    @Parameters(paramLabel = "JOB_ID") String jobId;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE|FOLDER",
            description = "Where to save it: a file, or a folder (one that exists, or any ending in /) "
                    + "(default: ./outpaint-results/outpaint-<jobId>.mp4); its folder is created.")
    String output;

    @Override
    public Integer call() throws Exception {
        ResultFile result;
        try {
            result = ResultFile.prepare(output);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--output: " + e.getMessage());
        }
        ApiClient.Answer answer = endpoint.client().get("/jobs/" + ApiClient.segment(jobId));
        if (!answer.ok()) {
            return ClientCommands.print(answer);
        }
        JsonNode job = answer.body();
        String status = job.path("status").asText();
        if (!status.equals("SUCCEEDED")) {
            throw new CommandFailure(JobFollower.FINAL.contains(status) ? JobFollower.ending(job) + "; it has no result"
                    : "job " + jobId + " is " + status + " (" + Math.round(job.path("progress").asDouble() * 100)
                    + "%); no result yet ('submit --wait' or 'status' follows it)");
        }
        JsonNode first = job.path("outputs").path(0);
        Path saved = result.save(HttpClient.newHttpClient(), URI.create(first.path("url").asText()), jobId,
                first.path("bytes").asLong(-1), first.path("sha256").asText(""));
        Outpaint.out.println("Saved " + saved.toAbsolutePath() + " (" + first.path("bytes").asLong() + " bytes, sha256 "
                + first.path("sha256").asText() + ")");
        return 0;
    }
}
