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
import io.outpaint.local.lambda.runtime.CloudAssembly;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Lambda deployment assets (functions/target/lambda shared by every function but the media ones,
 * functions/target/lambda-media with FFmpeg: classes at the root, runtime jars under lib/, as Lambda's
 * Java runtime loads them) hold each catalogue handler and the SDK clients its needs call, each from
 * the asset its catalogue entry names. Loaded in a class loader of its own, so nothing comes from this
 * module's classpath.
 */
class LambdaAssetTest {

    /** The SDK (and Powertools) classes each need calls at run time. */
    private static final Map<Need, List<String>> CLIENTS = Map.ofEntries(
            Map.entry(Need.SCENARIO, List.of("software.amazon.lambda.powertools.parameters.secrets.SecretsProvider",
                    "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient")),
            Map.entry(Need.WEBHOOK_SECRET, List.of("software.amazon.lambda.powertools.parameters.secrets.SecretsProvider",
                    "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient")),
            Map.entry(Need.INPUTS_READ, List.of("software.amazon.awssdk.services.s3.S3Client")),
            Map.entry(Need.INPUTS_WRITE, List.of("software.amazon.awssdk.services.s3.presigner.S3Presigner")),
            Map.entry(Need.WORK_READ, List.of("software.amazon.awssdk.services.s3.S3Client")),
            Map.entry(Need.WORK_WRITE, List.of("software.amazon.awssdk.services.s3.S3Client")),
            Map.entry(Need.OUTPUTS_READ, List.of("software.amazon.awssdk.services.s3.presigner.S3Presigner")),
            Map.entry(Need.OUTPUTS_WRITE, List.of("software.amazon.awssdk.transfer.s3.S3TransferManager",
                    "software.amazon.awssdk.services.s3.S3AsyncClient", "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient")),
            Map.entry(Need.START_EXECUTIONS, List.of("software.amazon.awssdk.services.sfn.SfnClient")),
            Map.entry(Need.STOP_EXECUTIONS, List.of("software.amazon.awssdk.services.sfn.SfnClient")),
            Map.entry(Need.DESCRIBE_EXECUTIONS, List.of("software.amazon.awssdk.services.sfn.SfnClient")),
            Map.entry(Need.EVENTS, List.of("software.amazon.awssdk.services.eventbridge.EventBridgeClient")));
    /** What every function calls: the table, its logs and metrics, its HTTP client. */
    private static final List<String> EVERY_FUNCTION = List.of("software.amazon.awssdk.services.dynamodb.DynamoDbClient",
            "software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient",
            "software.amazon.lambda.powertools.metrics.Metrics", "software.amazon.lambda.powertools.logging.PowertoolsLogging",
            "software.amazon.awssdk.http.apache.ApacheHttpClient",
            "com.amazonaws.services.lambda.runtime.RequestStreamHandler");

    /** What a media function runs besides its handler: its step and FFmpeg's programs, bundled by bytedeco. */
    private static final List<String> MEDIA = List.of("io.outpaint.media.finish.Finish", "io.outpaint.media.finish.Split",
            "io.outpaint.media.finish.FinishSegment", "io.outpaint.media.finish.Join", "io.outpaint.media.finish.FfmpegPrograms",
            "org.bytedeco.ffmpeg.ffmpeg", "org.bytedeco.ffmpeg.ffprobe", "org.bytedeco.javacpp.Loader");

    @Test
    void eachAssetHoldsTheHandlersOfItsFunctionsAndTheClientsTheirNeedsCall() throws IOException {
        for (PipelineFunction.Asset kind : PipelineFunction.Asset.values()) {
            try (URLClassLoader lambda = loader(OutpaintApp.root().resolve(kind.path()))) {
                for (PipelineFunction entry : PipelineFunction.values()) {
                    if (entry.asset() != kind) {
                        continue;
                    }
                    List<String> classes = new ArrayList<>(EVERY_FUNCTION);
                    classes.add(entry.handler());
                    entry.needs().forEach(need -> classes.addAll(CLIENTS.get(need)));
                    if (kind == PipelineFunction.Asset.MEDIA) {
                        classes.addAll(MEDIA);
                    }
                    for (String name : classes) {
                        assertThatCode(() -> Class.forName(name, false, lambda)).as(entry + " needs " + name).doesNotThrowAnyException();
                    }
                }
            }
        }
    }

    @Test
    void theSharedAssetHasNoFfmpegYetBuildsEveryStepOfTheCatalogue() throws Exception {
        Path asset = OutpaintApp.root().resolve(PipelineFunction.Asset.SHARED.path());
        try (URLClassLoader lambda = loader(asset)) {
            for (String name : MEDIA) {
                assertThatCode(() -> Class.forName(name, false, lambda)).as(name + " in the shared asset")
                        .isInstanceOf(ClassNotFoundException.class);
            }
            // initializing the catalogue there (as every function's handler does) must not reach for the media classes
            Class<?> catalogue = Class.forName("io.outpaint.pipeline.PipelineFunction", true, lambda);
            assertThat(catalogue.getEnumConstants()).hasSize(PipelineFunction.values().length);
        }
    }

    private static URLClassLoader loader(Path asset) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(asset.toUri().toURL());
        try (Stream<Path> jars = Files.list(asset.resolve("lib"))) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** Jars of the build's tests and emulators: none belongs in what Lambda runs. */
    private static final Pattern TEST_JARS = Pattern.compile("(junit|assertj|mockito|opentest4j|DynamoDBLocal|s3mock|outpaint-simulator|"
            + "outpaint-local|selenium|testcontainers)-.*\\.jar");
    private static final Pattern VERSIONED_JAR = Pattern.compile("(.+?)-\\d[^-]*(-[A-Za-z0-9.]+)?\\.jar");

    @Test
    void everyFunctionOfTheTemplateRunsTheAssetBuiltFromTheFunctionsWithNoTestClassesAndNoLibraryTwice() throws IOException {
        CloudAssembly assembly = CloudAssembly.read(Synthesized.ASSEMBLY, "Outpaint");
        Map<String, List<String>> functionsByAsset = new TreeMap<>();
        for (PipelineFunction entry : PipelineFunction.values()) {
            CloudAssembly.Function function = assembly.function(entry.id() + "Function", "io.outpaint.").orElseThrow();
            CloudAssembly.Asset asset = assembly.assets().get(function.assetHash());
            assertThat(asset).as(entry + "'s code (" + function.assetHash() + ") is an asset of the manifest").isNotNull();
            assertThat(asset.packaging()).isEqualTo("zip");
            assertThat(asset.objectKey()).isEqualTo(function.assetHash() + ".zip");
            assertThat(function.runtime()).isEqualTo("java21");
            assertThat(function.snapStart()).as(entry + " publishes SnapStart versions").isEqualTo(entry.snapStart());
            functionsByAsset.computeIfAbsent(function.assetHash(), h -> new ArrayList<>()).add(entry.id());
        }
        Map<String, PipelineFunction.Asset> kindByHash = new TreeMap<>();
        for (PipelineFunction entry : PipelineFunction.values()) {
            String hash = assembly.function(entry.id() + "Function", "io.outpaint.").orElseThrow().assetHash();
            PipelineFunction.Asset before = kindByHash.put(hash, entry.asset());
            assertThat(before == null || before == entry.asset()).as(entry + " shares its code with another kind of asset").isTrue();
        }
        assertThat(new java.util.HashSet<>(kindByHash.values())).as("one staged asset per kind")
                .hasSize(PipelineFunction.Asset.values().length).hasSize(kindByHash.size());
        for (Map.Entry<String, List<String>> byAsset : functionsByAsset.entrySet()) {
            Path staged = assembly.assets().get(byAsset.getKey()).source();
            Path built = OutpaintApp.root().resolve(kindByHash.get(byAsset.getKey()).path());
            Map<String, Long> files = files(staged);
            assertThat(files).as("the staged asset is the functions' build, file for file: " + built).isEqualTo(files(built));
            assertThat(files.keySet()).as("test classes in the asset").noneMatch(f -> f.endsWith("Test.class")
                    || f.endsWith("Tests.class") || f.startsWith("io/outpaint/testing/") || f.startsWith("io/outpaint/local/"));
            Map<String, List<String>> byArtifact = new TreeMap<>();
            for (String file : files.keySet()) {
                if (file.startsWith("lib/")) {
                    String jar = file.substring(4);
                    assertThat(jar).as("a jar of the tests or an emulator").doesNotMatch(TEST_JARS);
                    var m = VERSIONED_JAR.matcher(jar);
                    byArtifact.computeIfAbsent(m.matches() ? m.group(1) : jar, a -> new ArrayList<>()).add(jar);
                }
            }
            byArtifact.values().forEach(jars -> assertThat(jars).as("one version of each library").hasSize(1));
            long bytes = files.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(Locale.ROOT, "asset %s: %d files, %.1f MiB, %d jars; the code of %s%n", byAsset.getKey().substring(0, 12),
                    files.size(), bytes / 1048576.0, byArtifact.size(), String.join(", ", byAsset.getValue()));
        }
    }

    private static Map<String, Long> files(Path root) throws IOException {
        Map<String, Long> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(root.relativize(file).toString().replace('\\', '/'), Files.size(file));
            }
        }
        return files;
    }
}
