package io.outpaint.local.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One fresh JVM running {@link ColdStartProbe} over a handler, with Lambda's JVM flags and only the function's environment. */
final class ColdStartChild {

    /**
     * The flags Lambda's Java 17+ runtimes start the JVM with by default: tiered compilation stopped
     * at C1 (level 1) and the serial collector; class data sharing as the JDK has it.
     */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    /** The classes a child needs from this module, copied beside the asset's classpath. */
    private static final List<String> PROBE_CLASSES = List.of("ColdStartProbe", "ColdStartProbe$ProbeContext",
            "ColdStartProbe$ProbeLogger", "BareGetItemHandler");

    private ColdStartChild() {}

    /** Writes the probe's classes into {@code dir}, a classpath entry of their own. */
    static Path writeProbeClasses(Path dir) throws IOException {
        for (String name : PROBE_CLASSES) {
            String resource = "/io/outpaint/local/bench/" + name + ".class";
            try (InputStream in = ColdStartChild.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is not on this classpath");
                }
                Path target = dir.resolve(resource.substring(1));
                Files.createDirectories(target.getParent());
                Files.write(target, in.readAllBytes());
            }
        }
        return dir;
    }

    /** The Lambda asset's classpath: its classes at the root, every jar under lib/. */
    static List<Path> assetClasspath(Path asset) throws IOException {
        List<Path> entries = new ArrayList<>();
        entries.add(asset);
        try (var jars = Files.list(asset.resolve("lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
        }
        return entries;
    }

    /** Runs the probe in a fresh JVM and reads its line; the child's output goes to {@code log}. */
    static ColdStartTable.Probe run(List<Path> classpath, Map<String, String> env, String handler, boolean primed, Path event,
                                    int warmRuns, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_FLAGS);
        // more flags for a look inside a child (e.g. -verbose:class); not part of the measurement
        String extra = System.getProperty("outpaint.coldstart.childOptions", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(ColdStartProbe.class.getName());
        command.add(primed ? "primed" : "cold");
        command.add(handler);
        command.add(event.toString());
        command.add(Integer.toString(warmRuns));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process child = builder.start();
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new IOException(handler + " did not finish within 5 minutes; its output: " + log);
        }
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf(ColdStartProbe.MARK);
            if (at >= 0) {
                return ColdStartTable.Probe.parse(line.substring(at));
            }
        }
        throw new IOException(handler + " exited " + child.exitValue() + " without its line; its output: " + log);
    }
}
