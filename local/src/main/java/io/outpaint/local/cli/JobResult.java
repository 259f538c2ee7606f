package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** A succeeded job's result saved where {@code -o} said, and the line that says where: shared by get, wait and submit --wait. */
final class JobResult {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private JobResult() {}

    /**
     * The end of a wait: 0 with the result saved into {@code target} when there is one, else 1 with
     * the job's ending as the command's one error line.
     */
    static int finish(CommandSpec command, JsonNode job, Optional<ResultFile> target) throws IOException, InterruptedException {
        String jobId = job.path("jobId").asText();
        if (!job.path("status").asText().equals("SUCCEEDED")) {
            Outpaint.err.println(command.qualifiedName() + ": " + JobFollower.ending(job)
                    + JobFollower.retrySegment(job).map(next -> "; " + next).orElse(""));
            return 1;
        }
        if (target.isPresent()) {
            save(job, target.get());
        } else {
            Outpaint.out.println("Job " + jobId + " SUCCEEDED; 'outpaint get " + jobId + "' downloads the result");
        }
        return 0;
    }

    /** Downloads the first output of {@code job} (the API's record of it) into {@code target}, checked against its size and sha256. */
    static Path save(JsonNode job, ResultFile target) throws IOException, InterruptedException {
        String jobId = job.path("jobId").asText();
        JsonNode first = job.path("outputs").path(0);
        if (!first.hasNonNull("url")) {
            throw new CommandFailure("job " + jobId + " SUCCEEDED but the API's record of it has no output URL");
        }
        Path saved = target.save(HTTP, URI.create(first.path("url").asText()), jobId, first.path("bytes").asLong(-1),
                first.path("sha256").asText(""));
        Outpaint.out.println("Saved " + saved.toAbsolutePath() + " (" + first.path("bytes").asLong() + " bytes, sha256 "
                + first.path("sha256").asText() + ")");
        return saved;
    }
}
