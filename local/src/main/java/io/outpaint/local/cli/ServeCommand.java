package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Keeps the local runtime up (DynamoDB Local, S3Mock, Lambda, Step Functions with the outpaint "
                + "state machine, the Scenario simulator) and prints every endpoint.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--job-seconds", defaultValue = "20", description = "How long simulated Scenario jobs take (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

    @Option(names = "--max-jobs", defaultValue = "2", description = "Scenario jobs in flight at once (default: ${DEFAULT-VALUE}).")
    int maxJobs;

    @Option(names = "--endpoints-file", description = "Also write the endpoints as JSON to this file (for scripts).")
    Path endpointsFile;

    @Override
    public Integer call() throws Exception {
        LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withLimit(maxJobs)
                .withJobDuration(Duration.ofSeconds(jobSeconds)));
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
        endpoints.put("scenario", pipeline.simulator().apiUrl());
        endpoints.put("httpApi", pipeline.httpApi().url());
        endpoints.put("console", pipeline.httpApi().consoleUrl());
        endpoints.put("apiKey", pipeline.httpApi().apiKey());
        endpoints.put("stateMachineArn", pipeline.stateMachineArn());
        endpoints.put("bucket", LocalPipeline.BUCKET);
        endpoints.put("table", LocalPipeline.TABLE);
        var out = Outpaint.out;
        out.println("outpaint console: " + pipeline.httpApi().consoleUrl());
        out.println("outpaint local runtime is up");
        out.printf("  HTTP API        %s   send x-api-key: %s%n", pipeline.httpApi().url(), pipeline.httpApi().apiKey());
        out.printf("  Step Functions  %s   state machine %s%n", cloud.stepFunctionsUrl(), pipeline.stateMachineArn());
        out.printf("  S3              %s   bucket %s (videos go under inputs/)%n", cloud.s3Url(), LocalPipeline.BUCKET);
        out.printf("  DynamoDB        %s   table %s%n", cloud.dynamoDbUrl(), LocalPipeline.TABLE);
        out.printf("  Lambda          %s%n", cloud.lambdaUrl());
        out.printf("  Scenario (sim)  %s%n", pipeline.simulator().apiUrl());
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
