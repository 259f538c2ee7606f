package io.outpaint.local.lambda.runtime;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Starts a function as Lambda's java21 runtime does: a JVM whose classpath is only the runtime's own
 * jars (AWS's runtime interface client and what it brings), main class {@code AWSLambda} with the
 * handler string as its argument, the task root as working directory (the client loads the code
 * from there and its {@code lib/}), SnapStart's init type and the CRaC compatibility property that
 * lets the functions' {@code org.crac} hooks reach the client.
 */
public final class RuntimeClientLauncher {

    /**
     * The flags Lambda's java21 launcher is known to pass: C1 only, the serial collector, class data
     * sharing, IPv4, and the CRaC compatibility layer; the heap is bounded by the function's memory.
     */
    public static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true",
            "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "--add-opens=java.base/java.io=ALL-UNNAMED");

    /** The runtime's jars, found through one class of each (the RIC, lambda-java-core, its serialization, the SDK's lite utils). */
    private static final List<String> RUNTIME_CLASSES = List.of(AWSLambda.class.getName(),
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal",
            "software.amazon.awssdk.annotations.SdkProtectedApi");

    /** One function to start: what the template says of it, and where its code was unzipped. */
    public record Launch(String functionName, String handler, int memoryMb, Path taskRoot, Map<String, String> environment,
                         boolean snapStart) {}

    private RuntimeClientLauncher() {}

    /** Starts the function's JVM against {@code api}; its output, stdout and stderr, goes to {@code log}. */
    public static Process start(Launch launch, RuntimeApi api, Path work, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java().resolve("bin/java").toString());
        command.addAll(LAMBDA_FLAGS);
        command.add("-Xmx" + Math.max(64, launch.memoryMb() * 85 / 100) + "m");
        command.add("-javaagent:" + observerAgent(work));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, runtimeClasspath().stream().map(Path::toString).toList()));
        command.add(AWSLambda.class.getName());
        command.add(launch.handler());
        ProcessBuilder builder = new ProcessBuilder(command).directory(launch.taskRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(launch, api));
        return builder.start();
    }

    /** What Lambda sets in every java21 function's environment, then the function's own variables. */
    static Map<String, String> environment(Launch launch, RuntimeApi api) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", launch.taskRoot().toString());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", launch.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", launch.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_FUNCTION_NAME", launch.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(launch.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + launch.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "rehearsal");
        env.putAll(launch.environment());
        env.putIfAbsent("AWS_DEFAULT_REGION", env.getOrDefault("AWS_REGION", "us-east-1"));
        return env;
    }

    /** The runtime's jars, as Lambda puts them on the system classpath; the function's code is not among them. */
    public static List<Path> runtimeClasspath() {
        List<Path> jars = new ArrayList<>();
        for (String name : RUNTIME_CLASSES) {
            try {
                Class<?> type = Class.forName(name, false, RuntimeClientLauncher.class.getClassLoader());
                Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!jars.contains(jar)) {
                    jars.add(jar);
                }
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("the runtime interface client's classpath lacks " + name, e);
            }
        }
        return jars;
    }

    /**
     * The JDK the rehearsal runs: {@code outpaint.rehearsal.java} if set, else Lambda's 21 or the
     * nearest newer one installed beside this one (multi-release jars pick their classes by version),
     * else this JVM's own.
     */
    public static Path java() {
        String chosen = System.getProperty("outpaint.rehearsal.java");
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen);
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= 21) {
            return current;
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                Optional<Path> newer = dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && feature(d) >= 21)
                        .min(Comparator.comparingInt(RuntimeClientLauncher::feature));
                if (newer.isPresent()) {
                    return newer.get();
                }
            } catch (IOException e) {
                // this JVM's own, below
            }
        }
        return current;
    }

    private static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JDK we can read
        }
        return 0;
    }

    /** The observer's agent jar, written once into {@code work}. */
    static synchronized Path observerAgent(Path work) throws IOException {
        Path jar = work.resolve("hook-observer.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", HookObserver.class.getName());
        String resource = HookObserver.class.getName().replace('.', '/') + ".class";
        Files.createDirectories(work);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = HookObserver.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on this classpath");
            }
            out.putNextEntry(new JarEntry(resource));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
