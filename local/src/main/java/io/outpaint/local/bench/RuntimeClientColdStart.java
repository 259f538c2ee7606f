package io.outpaint.local.bench;

import io.outpaint.local.LocalPipeline;
import io.outpaint.local.lambda.runtime.CloudAssembly;
import io.outpaint.local.lambda.runtime.Rehearsal;
import io.outpaint.local.lambda.runtime.RehearsalCloud;
import io.outpaint.local.lambda.runtime.RuntimeApi;
import io.outpaint.local.lambda.runtime.RuntimeClientLauncher;
import io.outpaint.pipeline.PipelineFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bench coldstart}'s second part: each function as AWS would run it, from the synthesized
 * asset in a cloud assembly, started by AWS's runtime interface client with SnapStart's init (the
 * libraries' hooks and ours): the time to the checkpoint, the restore hooks, the first invocation
 * after them and warm ones; beside the in-process probe's primed JVM of the same round.
 */
final class RuntimeClientColdStart {

    /** One fresh JVM through the runtime client, in nanoseconds. */
    record Start(long toCheckpoint, long restore, long first, long warm, boolean ok) {}

    private RuntimeClientColdStart() {}

    /** Every function's {@code runs} JVMs; a function that does not start ends the benchmark, naming it. */
    static Map<PipelineFunction, List<Start>> measure(LocalPipeline pipeline, Path assemblyDir, Path work,
                                                      Function<PipelineFunction, Path> events, int warmRuns, int runs) throws Exception {
        CloudAssembly assembly = CloudAssembly.read(assemblyDir, "Outpaint");
        Map<String, Path> roots = new HashMap<>();
        Map<PipelineFunction, List<Start>> starts = new EnumMap<>(PipelineFunction.class);
        try (RehearsalCloud cloud = new RehearsalCloud(pipeline, assembly.parameterDefaults())) {
            for (int run = 1; run <= runs; run++) {
                for (PipelineFunction entry : PipelineFunction.values()) {
                    CloudAssembly.Function function = assembly.function(entry.id() + "Function", "io.outpaint.")
                            .orElseThrow(() -> new IOException(assemblyDir + " has no function for " + entry.id()));
                    Path root = roots.get(function.assetHash());
                    if (root == null) {
                        root = work.resolve("task-" + function.assetHash().substring(0, 12));
                        CloudAssembly.unpack(assembly.assets().get(function.assetHash()), root);
                        roots.put(function.assetHash(), root);
                    }
                    RuntimeClientLauncher.Launch launch = cloud.launch(entry, function, root);
                    Path runWork = Files.createDirectories(work.resolve("ric-" + run));
                    try (Rehearsal rehearsal = Rehearsal.start(launch, runWork, Duration.ofMinutes(3))) {
                        byte[] event = Files.readAllBytes(events.apply(entry));
                        long t0 = System.nanoTime();
                        RuntimeApi.Answer first = rehearsal.invoke(event, Duration.ofMinutes(2));
                        long firstNanos = System.nanoTime() - t0;
                        long[] warm = new long[warmRuns];
                        for (int i = 0; i < warmRuns; i++) {
                            long w0 = System.nanoTime();
                            rehearsal.invoke(event, Duration.ofMinutes(2));
                            warm[i] = System.nanoTime() - w0;
                        }
                        Arrays.sort(warm);
                        starts.computeIfAbsent(entry, e -> new ArrayList<>()).add(new Start(rehearsal.init().toCheckpoint().toNanos(),
                                rehearsal.init().restore().toNanos(), firstNanos, warm[warmRuns / 2], first.ok()));
                    }
                }
            }
        }
        return starts;
    }

    /** The table: each function's medians, and its first invocation against the in-process primed JVM's. */
    static String format(Map<PipelineFunction, List<Start>> starts, Map<PipelineFunction, ColdStartTable.Probe> primedInProcess) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-14s %6s %14s %9s %9s %8s %10s %17s%n", "function", "memory", "to checkpoint",
                "restore", "first", "warm", "first/warm", "first / in-proc"));
        for (Map.Entry<PipelineFunction, List<Start>> e : starts.entrySet()) {
            List<Start> all = e.getValue();
            long checkpoint = median(all, Start::toCheckpoint);
            long first = median(all, Start::first);
            long warm = median(all, Start::warm);
            ColdStartTable.Probe inProcess = primedInProcess.get(e.getKey());
            out.append(String.format(Locale.ROOT, "%-14s %4d MB %11.0f ms %6.1f ms %6.1f ms %5.1f ms %9.2fx %16s%s%n",
                    e.getKey().id(), e.getKey().memoryMb(), checkpoint / 1e6, median(all, Start::restore) / 1e6, first / 1e6, warm / 1e6,
                    (double) first / warm, inProcess == null ? "-" : String.format(Locale.ROOT, "%.2fx", (double) first / inProcess.first()),
                    all.stream().allMatch(Start::ok) ? "" : "  (an error answered)"));
        }
        return out.toString();
    }

    private static long median(List<Start> all, java.util.function.ToLongFunction<Start> figure) {
        long[] values = all.stream().mapToLong(figure).sorted().toArray();
        return values[values.length / 2];
    }
}
