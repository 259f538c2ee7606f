package io.outpaint.local.lambda.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A synthesized cloud assembly ({@code cdk.out}) read as {@code cdk deploy} reads it: the stack's
 * template, its assets manifest, and for each Lambda function the handler, memory, environment and
 * the asset its code points at (by the object key the deployment uploads it under).
 */
public final class CloudAssembly {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A function of the template; {@code environment} holds literal values as they are and intrinsics as JSON. */
    public record Function(String logicalId, String handler, String runtime, int memoryMb, boolean snapStart,
                           Map<String, JsonNode> environment, String assetHash) {}

    /** A file asset: its folder in the assembly and how it is packaged. */
    public record Asset(String hash, Path source, String packaging, String objectKey) {}

    private final Path dir;
    private final JsonNode template;
    private final Map<String, Asset> assets;

    private CloudAssembly(Path dir, JsonNode template, Map<String, Asset> assets) {
        this.dir = dir;
        this.template = template;
        this.assets = assets;
    }

    /** Reads the assembly in {@code dir} for the stack named {@code stack}. */
    public static CloudAssembly read(Path dir, String stack) throws IOException {
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        JsonNode artifact = manifest.path("artifacts").path(stack);
        if (artifact.isMissingNode()) {
            throw new IOException(dir + "/manifest.json names no stack " + stack);
        }
        JsonNode template = JSON.readTree(dir.resolve(artifact.path("properties").path("templateFile").asText()).toFile());
        Map<String, Asset> assets = new LinkedHashMap<>();
        JsonNode assetManifest = JSON.readTree(dir.resolve(stack + ".assets.json").toFile());
        assetManifest.path("files").fields().forEachRemaining(e -> {
            JsonNode source = e.getValue().path("source");
            String key = e.getValue().path("destinations").elements().next().path("objectKey").asText();
            assets.put(e.getKey(), new Asset(e.getKey(), dir.resolve(source.path("path").asText()),
                    source.path("packaging").asText("file"), key));
        });
        return new CloudAssembly(dir, template, assets);
    }

    public Path dir() {
        return dir;
    }

    public JsonNode template() {
        return template;
    }

    public Map<String, Asset> assets() {
        return assets;
    }

    /** The template's parameters that have a default, with it. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        template.path("Parameters").fields().forEachRemaining(p -> {
            if (p.getValue().has("Default")) {
                defaults.put(p.getKey(), p.getValue().path("Default").asText());
            }
        });
        return defaults;
    }

    /** Every Lambda function of the template whose handler starts with {@code handlerPrefix}. */
    public List<Function> functions(String handlerPrefix) {
        List<Function> found = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            JsonNode props = e.getValue().path("Properties");
            if (!e.getValue().path("Type").asText().equals("AWS::Lambda::Function")
                    || !props.path("Handler").asText().startsWith(handlerPrefix)) {
                return;
            }
            Map<String, JsonNode> env = new LinkedHashMap<>();
            props.path("Environment").path("Variables").fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue()));
            String key = props.path("Code").path("S3Key").asText();
            found.add(new Function(e.getKey(), props.path("Handler").asText(), props.path("Runtime").asText(),
                    props.path("MemorySize").asInt(128), props.path("SnapStart").path("ApplyOn").asText().equals("PublishedVersions"),
                    env, key.endsWith(".zip") ? key.substring(0, key.length() - 4) : key));
        });
        return found;
    }

    /** The function whose logical id starts with {@code prefix} (CDK appends a hash). */
    public Optional<Function> function(String prefix, String handlerPrefix) {
        return functions(handlerPrefix).stream().filter(f -> f.logicalId().startsWith(prefix)).findFirst();
    }

    /**
     * The asset zipped as the deployment uploads it, then unzipped into {@code taskRoot} as Lambda
     * unpacks the code: what the functions run is the archive, not the build's folder.
     */
    public static void unpack(Asset asset, Path taskRoot) throws IOException {
        if (!asset.packaging().equals("zip")) {
            throw new IOException("asset " + asset.hash() + " is packaged as " + asset.packaging() + ", not zip");
        }
        Path zip = Files.createTempFile("outpaint-asset-", ".zip");
        try {
            try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file);
                 Stream<Path> walk = Files.walk(asset.source())) {
                for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new ZipEntry(asset.source().relativize(path).toString().replace('\\', '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                }
            }
            Files.createDirectories(taskRoot);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    Path target = taskRoot.resolve(entry.getName()).normalize();
                    if (!target.startsWith(taskRoot)) {
                        throw new IOException("asset entry outside the task root: " + entry.getName());
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        } finally {
            Files.deleteIfExists(zip);
        }
    }
}
