package io.outpaint.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineFunction.Need;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Lambda deployment asset (functions/target/lambda: classes at the root, runtime jars under
 * lib/, as Lambda's Java runtime loads them) holds each catalogue handler and the SDK clients its
 * needs call. Loaded in a class loader of its own, so nothing comes from this module's classpath.
 */
class LambdaAssetTest {

    /** The SDK (and Powertools) classes each need calls at run time. */
    private static final Map<Need, List<String>> CLIENTS = Map.of(
            Need.SCENARIO, List.of("software.amazon.lambda.powertools.parameters.secrets.SecretsProvider",
                    "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient"),
            Need.WEBHOOK_SECRET, List.of("software.amazon.lambda.powertools.parameters.secrets.SecretsProvider",
                    "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient"),
            Need.INPUTS_READ, List.of("software.amazon.awssdk.services.s3.S3Client"),
            Need.INPUTS_WRITE, List.of("software.amazon.awssdk.services.s3.presigner.S3Presigner"),
            Need.OUTPUTS_READ, List.of("software.amazon.awssdk.services.s3.presigner.S3Presigner"),
            Need.OUTPUTS_WRITE, List.of("software.amazon.awssdk.transfer.s3.S3TransferManager",
                    "software.amazon.awssdk.services.s3.S3AsyncClient", "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"),
            Need.START_EXECUTIONS, List.of("software.amazon.awssdk.services.sfn.SfnClient"),
            Need.STOP_EXECUTIONS, List.of("software.amazon.awssdk.services.sfn.SfnClient"),
            Need.DESCRIBE_EXECUTIONS, List.of("software.amazon.awssdk.services.sfn.SfnClient"),
            Need.EVENTS, List.of("software.amazon.awssdk.services.eventbridge.EventBridgeClient"));
    /** What every function calls: the table, its logs and metrics, its HTTP client. */
    private static final List<String> EVERY_FUNCTION = List.of("software.amazon.awssdk.services.dynamodb.DynamoDbClient",
            "software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient",
            "software.amazon.lambda.powertools.metrics.Metrics", "software.amazon.lambda.powertools.logging.PowertoolsLogging",
            "software.amazon.awssdk.http.apache.ApacheHttpClient",
            "com.amazonaws.services.lambda.runtime.RequestStreamHandler");

    @Test
    void theAssetHoldsEveryHandlerAndTheClientsItsNeedsCall() throws IOException {
        Path asset = OutpaintApp.root().resolve("functions/target/lambda");
        List<URL> urls = new ArrayList<>();
        urls.add(asset.toUri().toURL());
        try (Stream<Path> jars = Files.list(asset.resolve("lib"))) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader lambda = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (PipelineFunction entry : PipelineFunction.values()) {
                assertThat(asset.resolve(entry.handler().replace('.', '/') + ".class")).as(entry.name()).isRegularFile();
                List<String> classes = new ArrayList<>(EVERY_FUNCTION);
                classes.add(entry.handler());
                entry.needs().forEach(need -> classes.addAll(CLIENTS.get(need)));
                for (String name : classes) {
                    assertThatCode(() -> Class.forName(name, false, lambda)).as(entry + " needs " + name).doesNotThrowAnyException();
                }
            }
        }
    }
}
