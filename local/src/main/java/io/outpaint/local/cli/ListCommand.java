package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.JobStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, version = "outpaint 0.1.0", description = "Jobs, newest first, as a table (--json for scripts).")
final class ListCommand implements Callable<Integer> {

    @Mixin ClientCommands.Endpoint endpoint;
    @Option(names = "--status", paramLabel = "STATUS", description = "Only jobs in this status (QUEUED ... SUCCEEDED, FAILED, TIMED_OUT, CANCELED).") String status;
    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Jobs a page, 1 to 100 (default: ${DEFAULT-VALUE}).") int limit;
    @Option(names = "--next-token", paramLabel = "TOKEN", description = "The token the previous page printed.") String nextToken;
    @Option(names = "--json", description = "The API's JSON answer, as it is.") boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || limit > 100) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--limit " + limit + " is not allowed; allowed: an integer from 1 to 100");
        }
        if (status != null && java.util.Arrays.stream(JobStatus.values()).noneMatch(s -> s.name().equals(status))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--status " + status + " is not allowed; allowed: one of "
                    + java.util.Arrays.stream(JobStatus.values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", ")));
        }
        StringBuilder path = new StringBuilder("/jobs?limit=").append(limit);
        if (status != null) {
            path.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
        }
        if (nextToken != null) {
            path.append("&nextToken=").append(URLEncoder.encode(nextToken, StandardCharsets.UTF_8));
        }
        ApiClient api = endpoint.client();
        ApiClient.Answer answer = api.get(path.toString());
        if (json || !answer.ok()) {
            return ClientCommands.print(answer);
        }
        Outpaint.out.print(table(answer.body(), api, Instant.now()));
        return 0;
    }

    /** One line a job: id, status, progress, age, and the output's key for jobs that succeeded. */
    static String table(JsonNode page, ApiClient api, Instant now) throws Exception {
        StringBuilder text = new StringBuilder(String.format("%-44s %-16s %8s %6s  %s%n", "JOB", "STATUS", "PROGRESS", "AGE", "OUTPUT"));
        for (JsonNode job : page.path("jobs")) {
            String id = job.path("jobId").asText();
            String output = job.path("status").asText().equals("SUCCEEDED") ? outputOf(api, id) : "";
            text.append(String.format("%-44s %-16s %7d%% %6s  %s%n", id, job.path("status").asText(),
                    Math.round(job.path("progress").asDouble() * 100), age(Instant.parse(job.path("createdAt").asText()), now), output));
        }
        if (page.path("jobs").isEmpty()) {
            text.append("(no jobs)").append(System.lineSeparator());
        }
        if (page.hasNonNull("nextToken")) {
            text.append("more: --next-token ").append(page.path("nextToken").asText()).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String outputOf(ApiClient api, String jobId) throws Exception {
        ApiClient.Answer job = api.get("/jobs/" + ApiClient.segment(jobId));
        JsonNode first = job.body().path("outputs").path(0);
        return first.isMissingNode() ? "" : "s3://" + first.path("bucket").asText() + "/" + first.path("key").asText();
    }

    static String age(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86400 ? s / 3600 + "h" : s / 86400 + "d";
    }

    static final ObjectMapper JSON = new ObjectMapper();
}
