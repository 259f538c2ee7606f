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

@Command(name = "list", mixinStandardHelpOptions = true, version = "outpaint 0.1.0", description = "Jobs, newest first, as a table: each one's input file and the start of its prompt beside its id ('outpaint status JOB_ID' shows one whole; --json for scripts).")
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
        ApiClient.Answer answer = endpoint.client().get(path.toString());
        if (json || !answer.ok()) {
            return ClientCommands.print(answer);
        }
        Outpaint.out.print(table(answer.body(), Instant.now()));
        return 0;
    }

    /** One line a job: id, status, progress, age, and what tells it apart: its file's name and the start of its prompt. */
    static String table(JsonNode page, Instant now) {
        StringBuilder text = new StringBuilder(String.format("%-44s %-18s %8s %6s  %s%n", "JOB", "STATUS", "PROGRESS", "AGE", "INPUT"));
        for (JsonNode job : page.path("jobs")) {
            text.append(String.format("%-44s %-18s %7d%% %6s  %s", job.path("jobId").asText(), job.path("status").asText(),
                    Math.round(job.path("progress").asDouble() * 100), age(Instant.parse(job.path("createdAt").asText()), now),
                    JobSummary.title(job, 40)).stripTrailing()).append(System.lineSeparator());
        }
        if (page.path("jobs").isEmpty()) {
            text.append("(no jobs)").append(System.lineSeparator());
        }
        if (page.hasNonNull("nextToken")) {
            text.append("more: --next-token ").append(page.path("nextToken").asText()).append(System.lineSeparator());
        }
        return text.toString();
    }

    static String age(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86400 ? s / 3600 + "h" : s / 86400 + "d";
    }

    static final ObjectMapper JSON = new ObjectMapper();
}
