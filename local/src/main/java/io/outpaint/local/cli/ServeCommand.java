package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.DataDir;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.LocalSite;
import io.outpaint.local.ScenarioAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Keeps the local runtime up (DynamoDB Local, S3Mock, Lambda, Step Functions with the outpaint "
                + "state machine; Scenario's API when SCENARIO_API_KEY and SCENARIO_API_SECRET are set, else the "
                + "simulator) and prints every endpoint.")
final class ServeCommand implements Callable<Integer> {

    /** How often DynamoDB Local's and S3Mock's ports are tried (the sidecar's end is seen at once). */
    private static final Duration WATCH_EVERY = Duration.ofSeconds(1);

    @Option(names = "--job-seconds", defaultValue = "20", paramLabel = "N", description = "How long simulated Scenario jobs take (default: ${DEFAULT-VALUE}; simulator only).")
    int jobSeconds;

    @Option(names = "--max-jobs", defaultValue = "2", paramLabel = "N", description = "Scenario jobs in flight at once (default: ${DEFAULT-VALUE}).")
    int maxJobs;

    @picocli.CommandLine.Mixin
    BudgetFlags budget = new BudgetFlags();

    @Option(names = "--endpoints-file", paramLabel = "FILE", description = "Also write the endpoints as JSON to this file (for scripts).")
    Path endpointsFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the tables, the objects and the API key in DIR "
            + "across restarts, and resume the jobs left running there (default: nothing is kept).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "Port of the HTTP API (default: a free one).")
    int port;

    @Option(names = "--scenario-url", paramLabel = "URL", description = "Scenario's API when SCENARIO_API_KEY and "
            + "SCENARIO_API_SECRET are set (default: " + "https://api.cloud.scenario.com/v1" + ").")
    String scenarioUrl;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", description = "Show the functions' and emulators' logs here instead of in a log file.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (jobSeconds < 1 || maxJobs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), jobSeconds < 1
                    ? "--job-seconds " + jobSeconds + " is not allowed; allowed: 1 or more"
                    : "--max-jobs " + maxJobs + " is not allowed; allowed: 1 or more");
        }
        if (dataDir != null) {
            DataDir.refusal(dataDir).ifPresent(line -> {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), line);
            });
        }
        LocalPipeline.Settings settings = budget.applyTo(LocalPipeline.Settings.interactive().withLimit(maxJobs)
                .withJobDuration(Duration.ofSeconds(jobSeconds)), spec);
        LocalSite site;
        try {
            site = new LocalSite(ScenarioAccount.fromEnvironment(System.getenv(), Optional.ofNullable(scenarioUrl)),
                    Optional.ofNullable(dataDir), port);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        FunctionLogs logs = verbose ? null : FunctionLogs.toTempFile("serve");
        // a progress line, not the banner: the banner starts with the console URL, once it answers
        Outpaint.err.println("Starting the local runtime...");
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(settings, site, part -> Outpaint.err.println("  " + part));
        } catch (Exception | Error e) {
            // a refused or failed start: its log is named when it holds anything, else no file is left
            if (logs != null) {
                logs.close(false, Outpaint.err);
            }
            if (e instanceof DataDir.InUseException) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger exitCode = new java.util.concurrent.atomic.AtomicInteger();
        // a part that dies is said here at once; one that cannot come back stops serve with its reason
        pipeline.watch(WATCH_EVERY, line -> Outpaint.err.println("outpaint serve: " + line), line -> {
            Outpaint.err.println("outpaint serve: " + line);
            exitCode.set(1);
            stop.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pipeline.close();
            } catch (RuntimeException e) {
                Outpaint.err.println("outpaint serve: while stopping: " + e.getMessage());
            } finally {
                stop.countDown();
            }
        }));
        var cloud = pipeline.cloud();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("stepFunctions", cloud.stepFunctionsUrl());
        endpoints.put("s3", cloud.s3Url());
        endpoints.put("dynamodb", cloud.dynamoDbUrl());
        endpoints.put("lambda", cloud.lambdaUrl());
        endpoints.put("scenario", pipeline.scenarioUrl());
        endpoints.put("scenarioSimulated", Boolean.toString(pipeline.usesSimulator()));
        endpoints.put("dataDir", pipeline.dataDir().map(Path::toString).orElse(""));
        endpoints.put("httpApi", pipeline.httpApi().url());
        endpoints.put("console", pipeline.httpApi().consoleUrl());
        endpoints.put("apiKey", pipeline.httpApi().apiKey());
        endpoints.put("webhookSecret", pipeline.webhookSecret());
        endpoints.put("stateMachineArn", pipeline.stateMachineArn());
        endpoints.put("bucket", LocalPipeline.BUCKET);
        endpoints.put("table", LocalPipeline.TABLE);
        var out = Outpaint.out;
        var api = pipeline.httpApi();
        out.println("outpaint console: " + api.consoleUrl());
        out.println("outpaint local runtime is up");
        out.printf("  HTTP API        %s   send x-api-key: %s%n", api.url(), api.apiKey());
        out.printf("  Console         the link above opens it once, in one browser; another: curl -X POST -H \"x-api-key: $OUTPAINT_API_KEY\" \"$OUTPAINT_ENDPOINT%s\"%n",
                io.outpaint.local.HttpApi.CONSOLE_LINKS);
        out.printf("  Step Functions  %s   state machine %s%n", cloud.stepFunctionsUrl(), pipeline.stateMachineArn());
        out.printf("  S3              %s   bucket %s: a video put under inputs/ starts a job; results go under outputs/<jobId>/%n",
                cloud.s3Url(), LocalPipeline.BUCKET);
        out.printf("  DynamoDB        %s   table %s%n", cloud.dynamoDbUrl(), LocalPipeline.TABLE);
        out.printf("  Lambda          %s%n", cloud.lambdaUrl());
        out.printf("  Scenario        %s%n", pipeline.scenarioDescription());
        out.printf("  Data            %s%n", pipeline.dataDir().map(d -> "kept in " + d + " (delete it to start over)")
                .orElse("in memory only, gone when it stops (--data-dir DIR keeps it)"));
        out.printf("  Webhooks        notices are signed with the secret %s (docs/api.md, completion notices)%n",
                pipeline.webhookSecret());
        out.printf("  Budget          %s%n", pipeline.budget().map(b -> b.creativeUnits() + " creative units a "
                + b.period().name().toLowerCase(java.util.Locale.ROOT) + " (UTC)").orElse("none (--budget N sets one)"));
        pipeline.repairs().forEach(line -> out.printf("  Repaired        %s%n", line));
        if (!pipeline.resumed().isEmpty()) {
            out.printf("  Resumed         %d unfinished job(s): %s%n", pipeline.resumed().size(), String.join(", ", pipeline.resumed()));
        }
        out.println(logs == null ? "  Logs            here (--verbose)" : "  Logs            " + logs.file() + "   (--verbose shows them here)");
        out.println();
        out.println("Paste these into a shell; the README's commands use them (AWS CLI 1.x and 2.x, the SDKs, the outpaint client):");
        ServeBanner.exports(cloud, pipeline).forEach((k, v) -> out.println("  export " + k + "=" + v));
        out.println();
        out.println("Then, for example:");
        out.println("  aws --endpoint-url \"$S3\" s3 cp video.mp4 s3://$BUCKET/inputs/video.mp4        # starts a job");
        out.println("  aws --endpoint-url \"$SFN\" stepfunctions list-executions --state-machine-arn \"$STATE_MACHINE_ARN\"");
        out.println("  aws --endpoint-url \"$S3\" s3 ls s3://$BUCKET/outputs/ --recursive                  # the results");
        out.println("  outpaint submit video.mp4 --prompt 'a wider view' --wait -o wider.mp4          # ./outpaint from the checkout");
        out.println("Ctrl-C stops it.");
        if (endpointsFile != null) {
            Path tmp = Files.createTempFile(endpointsFile.toAbsolutePath().getParent(), "endpoints", ".tmp");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), endpoints);
            Files.move(tmp, endpointsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        stop.await();
        return exitCode.get();
    }
}
