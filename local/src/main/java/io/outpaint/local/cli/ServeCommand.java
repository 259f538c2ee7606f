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

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Keeps the local runtime up (DynamoDB Local, S3Mock, Lambda, Step Functions with the outpaint "
                + "state machine; Scenario's API when SCENARIO_API_KEY and SCENARIO_API_SECRET are set, else the "
                + "simulator) and prints every endpoint.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--job-seconds", defaultValue = "20", description = "How long simulated Scenario jobs take (default: ${DEFAULT-VALUE}; simulator only).")
    int jobSeconds;

    @Option(names = "--max-jobs", defaultValue = "2", description = "Scenario jobs in flight at once (default: ${DEFAULT-VALUE}).")
    int maxJobs;

    @Option(names = "--endpoints-file", description = "Also write the endpoints as JSON to this file (for scripts).")
    Path endpointsFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the tables, the objects and the API key in DIR "
            + "across restarts, and resume the jobs left running there (default: nothing is kept).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "Port of the HTTP API (default: a free one).")
    int port;

    @Option(names = "--scenario-url", paramLabel = "URL", description = "Scenario's API when SCENARIO_API_KEY and "
            + "SCENARIO_API_SECRET are set (default: " + "https://api.cloud.scenario.com/v1" + ").")
    String scenarioUrl;

    @Override
    public Integer call() throws Exception {
        LocalSite site;
        try {
            site = new LocalSite(ScenarioAccount.fromEnvironment(System.getenv(), Optional.ofNullable(scenarioUrl)),
                    Optional.ofNullable(dataDir), port);
        } catch (IllegalArgumentException e) {
            Outpaint.out.println("outpaint serve: " + e.getMessage());
            return 2;
        }
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withLimit(maxJobs)
                    .withJobDuration(Duration.ofSeconds(jobSeconds)), site);
        } catch (DataDir.InUseException e) {
            Outpaint.out.println("outpaint serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            stop.countDown();
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
        endpoints.put("apiKey", pipeline.httpApi().apiKey());
        endpoints.put("stateMachineArn", pipeline.stateMachineArn());
        endpoints.put("bucket", LocalPipeline.BUCKET);
        endpoints.put("table", LocalPipeline.TABLE);
        var out = Outpaint.out;
        out.println("outpaint local runtime is up");
        out.printf("  HTTP API        %s   send x-api-key: %s%n", pipeline.httpApi().url(), pipeline.httpApi().apiKey());
        out.printf("  Step Functions  %s   state machine %s%n", cloud.stepFunctionsUrl(), pipeline.stateMachineArn());
        out.printf("  S3              %s   bucket %s (videos go under inputs/)%n", cloud.s3Url(), LocalPipeline.BUCKET);
        out.printf("  DynamoDB        %s   table %s%n", cloud.dynamoDbUrl(), LocalPipeline.TABLE);
        out.printf("  Lambda          %s%n", cloud.lambdaUrl());
        out.printf("  Scenario        %s%n", pipeline.scenarioDescription());
        out.printf("  Data            %s%n", pipeline.dataDir().map(d -> "kept in " + d + " (delete it to start over)")
                .orElse("in memory only, gone when it stops (--data-dir DIR keeps it)"));
        if (!pipeline.resumed().isEmpty()) {
            out.printf("  Resumed         %d unfinished job(s): %s%n", pipeline.resumed().size(), String.join(", ", pipeline.resumed()));
        }
        out.println();
        out.println("Point the AWS SDKs (and AWS CLI v2.13+) at it:");
        cloud.environment().forEach((k, v) -> out.println("  export " + k + "=" + v));
        out.println("Create and follow a job with curl:");
        out.println("  curl -H 'x-api-key: " + pipeline.httpApi().apiKey() + "' -H 'content-type: application/json' "
                + pipeline.httpApi().url() + "/jobs -d '{\"video\":{\"key\":\"inputs/video.mp4\"},\"request\":{\"prompt\":\"a wider view\"}}'");
        out.println("  curl -H 'x-api-key: " + pipeline.httpApi().apiKey() + "' " + pipeline.httpApi().url() + "/jobs/<jobId>");
        out.println("Or give each AWS CLI call its endpoint:");
        out.println("  aws --endpoint-url " + cloud.s3Url() + " s3 cp video.mp4 s3://" + LocalPipeline.BUCKET + "/inputs/video.mp4");
        out.println("  aws --endpoint-url " + cloud.stepFunctionsUrl() + " stepfunctions start-execution --state-machine-arn "
                + pipeline.stateMachineArn() + " --input file://events/start-execution.json");
        out.println("Ctrl-C stops it.");
        if (endpointsFile != null) {
            Path tmp = Files.createTempFile(endpointsFile.toAbsolutePath().getParent(), "endpoints", ".tmp");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), endpoints);
            Files.move(tmp, endpointsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        stop.await();
        return 0;
    }
}
