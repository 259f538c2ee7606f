package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.FieldError;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.OutpaintRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code submit | status | list | cancel | estimate --endpoint URL}: a running local runtime or a deployed API. */
final class ClientCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientCommands() {}

    static void addTo(CommandLine cli) {
        CommandLine submit = new CommandLine(new Submit());
        ModelFlags.addTo(submit.getCommandSpec());
        CommandLine estimate = new CommandLine(new Estimate());
        ModelFlags.addTo(estimate.getCommandSpec());
        cli.addSubcommand("submit", submit);
        cli.addSubcommand("status", new Status());
        cli.addSubcommand("list", new ListJobs());
        cli.addSubcommand("cancel", new Cancel());
        cli.addSubcommand("estimate", estimate);
    }

    /** Where the API is and how to authenticate. */
    static final class Endpoint {
        @Option(names = "--endpoint", required = true, description = "The API's base URL (printed by 'serve', or the stack's ApiUrl output).")
        String url;

        @Option(names = "--api-key", description = "The local runtime's API key (printed by 'serve'); without it requests are SigV4-signed with the default AWS credentials.")
        String apiKey;

        @Option(names = "--region", description = "Region to sign for (default: the SDK's default region).")
        String region;

        ApiClient client() {
            return new ApiClient(url, apiKey, region);
        }
    }

    /** Prints the answer; 0 when it succeeded, 1 with the API's message and fields when it did not. */
    static int print(ApiClient.Answer answer) throws Exception {
        if (answer.ok()) {
            Outpaint.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
            return 0;
        }
        JsonNode error = answer.body().path("error");
        Outpaint.out.println("error " + answer.status() + " " + error.path("code").asText("") + ": "
                + error.path("message").asText(answer.body().toString()));
        for (JsonNode field : error.path("fields")) {
            Outpaint.out.println("  " + field.path("field").asText() + ": " + field.path("message").asText());
        }
        return 1;
    }

    static OutpaintRequest request(CommandSpec spec) {
        try {
            return ModelFlags.read(spec, null);
        } catch (InvalidRequestException e) {
            StringBuilder text = new StringBuilder("the model's inputs are not valid:");
            for (FieldError error : e.errors()) {
                text.append("\n  ").append(ModelFlags.flag(error.field()))
                        .append(error.value() == null ? ": " + error.allowed() : " " + error.value() + " is not allowed; allowed: " + error.allowed());
            }
            throw new CommandLine.ParameterException(new CommandLine(spec), text.toString());
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Starts a job on a video already in the bucket (a key under inputs/).")
    static final class Submit implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "KEY", description = "The video's key in the bucket, e.g. inputs/street.mp4.") String key;
        @Option(names = "--idempotency-key", description = "Makes a retried submit return the same job.") String idempotencyKey;
        @Option(names = "--webhook-url", description = "Gets the final record by POST, signed.") String webhookUrl;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("video").put("key", key);
            body.set("request", request(spec).toJson());
            if (webhookUrl != null) {
                body.putObject("notify").put("webhookUrl", webhookUrl);
            }
            return print(endpoint.client().post("/jobs", body, idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey)));
        }
    }

    @Command(name = "estimate", mixinStandardHelpOptions = true, description = "The cost in creative units of a job, from Scenario's dry run.")
    static final class Estimate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "KEY", description = "The video's key in the bucket.") String key;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("video").put("key", key);
            body.set("request", request(spec).toJson());
            return print(endpoint.client().post("/estimate", body, Map.of()));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A job's status, progress, history and outputs.")
    static final class Status implements Callable<Integer> {
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "JOB_ID") String jobId;

        @Override
        public Integer call() throws Exception {
            return print(endpoint.client().get("/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8)));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin Endpoint endpoint;
        @Option(names = "--status", description = "Only jobs in this status (QUEUED ... SUCCEEDED, FAILED, TIMED_OUT, CANCELED).") String status;
        @Option(names = "--limit", defaultValue = "20", description = "Jobs a page, 1 to 100 (default: ${DEFAULT-VALUE}).") int limit;
        @Option(names = "--next-token", description = "The nextToken of the previous page.") String nextToken;

        @Override
        public Integer call() throws Exception {
            StringBuilder path = new StringBuilder("/jobs?limit=").append(limit);
            if (status != null) {
                path.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
            }
            if (nextToken != null) {
                path.append("&nextToken=").append(URLEncoder.encode(nextToken, StandardCharsets.UTF_8));
            }
            return print(endpoint.client().get(path.toString()));
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a job (Scenario may still finish its part and bill it).")
    static final class Cancel implements Callable<Integer> {
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "JOB_ID") String jobId;

        @Override
        public Integer call() throws Exception {
            return print(endpoint.client().post("/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "/cancel", null, Map.of()));
        }
    }
}
