package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.OutpaintRequest;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code submit | status | list | get | wait | cancel | estimate | usage}: a running local runtime ({@code serve}) or a deployed API. */
final class ClientCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientCommands() {}

    static void addTo(CommandLine cli) {
        CommandLine submit = new CommandLine(new SubmitCommand());
        ModelFlags.addTo(submit.getCommandSpec());
        CommandLine estimate = new CommandLine(new Estimate());
        ModelFlags.addTo(estimate.getCommandSpec());
        cli.addSubcommand("submit", submit);
        cli.addSubcommand("status", new Status());
        cli.addSubcommand("list", new ListCommand());
        cli.addSubcommand("get", new GetCommand());
        cli.addSubcommand("wait", new WaitCommand());
        cli.addSubcommand("cancel", new CancelCommand());
        cli.addSubcommand("estimate", estimate);
        cli.addSubcommand("usage", new UsageCommand());
    }

    /** Where the API is and how to authenticate. */
    static final class Endpoint {
        @Option(names = "--endpoint", defaultValue = "${env:OUTPAINT_ENDPOINT}", paramLabel = "URL",
                description = "The API's base URL (printed by 'outpaint serve', or the stack's ApiUrl output; default: $OUTPAINT_ENDPOINT).")
        String url;

        @Option(names = "--api-key", defaultValue = "${env:OUTPAINT_API_KEY}", paramLabel = "KEY",
                description = "The local runtime's API key (printed by 'outpaint serve'; default: $OUTPAINT_API_KEY); without it requests are SigV4-signed with the default AWS credentials.")
        String apiKey;

        /** The endpoint last used, for the one-line message when it cannot be reached. */
        static volatile String lastUrl = "the API";

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(names = "--region", description = "Region to sign for (default: the SDK's default region).")
        String region;

        ApiClient client() {
            if (url == null || url.isBlank()) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        "--endpoint is missing; allowed: the API's base URL that 'outpaint serve' prints (or set OUTPAINT_ENDPOINT)");
            }
            if (!url.matches("https?://[^\\s]+")) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        "--endpoint " + url + " is not allowed; allowed: an http:// or https:// URL");
            }
            lastUrl = url;
            return new ApiClient(url, apiKey, region);
        }
    }

    /** Prints the answer and returns 0 when it succeeded; else an {@link ApiRefusal} (exit 1) with the API's message and fields. */
    static int print(ApiClient.Answer answer) throws Exception {
        return print(answer, "FILE|KEY");
    }

    /** As {@link #print(ApiClient.Answer)}, the video's key named as {@code videoParameter} (the command's own parameter). */
    static int print(ApiClient.Answer answer, String videoParameter) throws Exception {
        if (!answer.ok()) {
            throw ApiRefusal.of(answer, videoParameter);
        }
        Outpaint.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
        return 0;
    }

    static OutpaintRequest request(CommandSpec spec) {
        return ModelFlags.checked(spec, null);
    }

    @Command(name = "estimate", mixinStandardHelpOptions = true, version = "outpaint 0.1.0", description = "The cost in creative units of a job, from Scenario's dry run.")
    static final class Estimate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "KEY", description = "The video's key in the bucket.") String key;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("video").put("key", key);
            body.set("request", request(spec).toJson());
            return print(endpoint.client().post("/estimate", body, Map.of()), "KEY");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, version = "outpaint 0.1.0", description = "A job's status, progress, history and outputs.")
    static final class Status implements Callable<Integer> {
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "JOB_ID") String jobId;

        @Override
        public Integer call() throws Exception {
            return print(endpoint.client().get("/jobs/" + ApiClient.segment(jobId)));
        }
    }
}
