package io.outpaint.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.outpaint.local.LocalPipeline;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.simulator.video.Mp4Video;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Cold starts against the local runtime: each function of the catalogue in a fresh JVM with
 * Lambda's JVM flags, on the Lambda asset's classpath, with the environment the stack gives it:
 * init (its no-argument constructor) and its first invocation, beside a bare handler that makes
 * one DynamoDB GetItem with the same SDK (in a fresh JVM run just before it); then, in another
 * fresh JVM, its SnapStart priming, the first invocation after it and a warm one. Every function is invoked with its sample event
 * from {@code events/}, on a job that the real pipeline ran to its end first, so every
 * invocation of a function takes the same path. Also the size of the deployment asset.
 */
public final class ColdStartBenchmark {

    /** The sample event each function is invoked with. */
    static final Map<PipelineFunction, String> EVENTS = events();
    /** The functions this probe runs on the shared asset's classpath; the media ones run from theirs, through the runtime client. */
    private static final List<PipelineFunction> ON_THE_SHARED_ASSET = java.util.Arrays.stream(PipelineFunction.values())
            .filter(f -> f.asset() == PipelineFunction.Asset.SHARED).toList();

    private static final String JOB = "sample-job";

    private ColdStartBenchmark() {}

    public static void run(PrintStream out, Path asset, int warmRuns, int runs) throws Exception {
        run(out, asset, null, null, warmRuns, runs);
    }

    /**
     * As {@link #run(PrintStream, Path, int, int)}; with {@code against} (another build's asset, or
     * null), each round also runs every function's unprimed JVM from that asset, right before or
     * after this asset's (the order alternates by round), and a second table compares the two.
     */
    public static void run(PrintStream out, Path asset, Path against, Path assembly, int warmRuns, int runs) throws Exception {
        for (Path dir : against == null ? List.of(asset) : List.of(asset, against)) {
            if (!Files.isDirectory(dir.resolve("lib"))) {
                throw new IOException(dir + " is not the Lambda asset (no lib/): build it with mvn -pl functions -am package");
            }
        }
        Path work = Files.createTempDirectory("outpaint-coldstart-");
        Path probe = ColdStartChild.writeProbeClasses(Files.createDirectories(work.resolve("probe")));
        List<Path> classpath = classpath(probe, asset);
        List<Path> otherClasspath = against == null ? null : classpath(probe, against);

        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger()
                .withTime(0.1, 100).withJobDuration(Duration.ofSeconds(1)))) {
            seed(pipeline, work);
            out.printf("Each function in a fresh JVM (%s), %d warm invocations (their median), against the local runtime;"
                    + " each figure the median of %d JVMs; / bare is the median of each round's ratio to a bare handler's JVM"
                    + " run just before.%n%n", String.join(" ", ColdStartChild.LAMBDA_FLAGS), warmRuns, runs);

            Map<String, String> bareEnv = new LinkedHashMap<>(pipeline.cloud().environment());
            bareEnv.put("TABLE_NAME", LocalPipeline.TABLE);
            bareEnv.put("AWS_LAMBDA_FUNCTION_NAME", "outpaint-bare");
            // rounds, in each every function's unprimed JVM just after a bare handler's: a machine that slows down or speeds
            // up during the run moves each pair alike, and the ratio is taken within the pair
            Map<PipelineFunction, List<ColdStartTable.Probe>> pairedBares = new java.util.EnumMap<>(PipelineFunction.class);
            Map<PipelineFunction, List<ColdStartTable.Probe>> cold = new java.util.EnumMap<>(PipelineFunction.class);
            Map<PipelineFunction, List<ColdStartTable.Probe>> primed = new java.util.EnumMap<>(PipelineFunction.class);
            Map<PipelineFunction, List<ColdStartTable.Probe>> other = new java.util.EnumMap<>(PipelineFunction.class);
            for (int run = 1; run <= runs; run++) {
                for (PipelineFunction function : ON_THE_SHARED_ASSET) {
                    Map<String, String> env = new LinkedHashMap<>(pipeline.functionEnvironment(function));
                    env.put("AWS_LAMBDA_FUNCTION_NAME", function.localName());
                    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
                    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
                    Path event = eventFile(work, function);
                    // the other build's JVM runs before the pair in even rounds, after it in odd ones; the bare JVM
                    // always runs just before this asset's
                    boolean otherFirst = otherClasspath != null && run % 2 == 0;
                    if (otherFirst) {
                        other.computeIfAbsent(function, f -> new ArrayList<>()).add(ColdStartChild.run(otherClasspath, env,
                                function.handler(), false, event, warmRuns, work.resolve(function.localName() + "-other-" + run + ".log")));
                    }
                    ColdStartTable.Probe bareProbe = ColdStartChild.run(classpath, bareEnv, BareGetItemHandler.class.getName(), false,
                            eventFile(work, PipelineFunction.NOTIFY), warmRuns,
                            work.resolve("bare-" + function.localName() + "-" + run + ".log"));
                    pairedBares.computeIfAbsent(function, f -> new ArrayList<>()).add(bareProbe);
                    cold.computeIfAbsent(function, f -> new ArrayList<>()).add(ColdStartChild.run(classpath, env, function.handler(),
                            false, event, warmRuns, work.resolve(function.localName() + "-cold-" + run + ".log")));
                    if (otherClasspath != null && !otherFirst) {
                        other.computeIfAbsent(function, f -> new ArrayList<>()).add(ColdStartChild.run(otherClasspath, env,
                                function.handler(), false, event, warmRuns, work.resolve(function.localName() + "-other-" + run + ".log")));
                    }
                    primed.computeIfAbsent(function, f -> new ArrayList<>()).add(ColdStartChild.run(classpath, env, function.handler(),
                            true, event, warmRuns, work.resolve(function.localName() + "-primed-" + run + ".log")));
                }
            }
            ColdStartTable.Probe bare = ColdStartTable.Probe.median(pairedBares.values().stream().flatMap(List::stream).toList());
            List<ColdStartTable.Row> rows = new ArrayList<>();
            for (PipelineFunction function : ON_THE_SHARED_ASSET) {
                rows.add(ColdStartTable.Row.of(function.id(), function.memoryMb(), cold.get(function), primed.get(function),
                        pairedBares.get(function)));
            }
            out.print(ColdStartTable.format(bare, rows));
            if (against != null) {
                List<ColdStartTable.Comparison> compared = new ArrayList<>();
                for (PipelineFunction function : ON_THE_SHARED_ASSET) {
                    compared.add(new ColdStartTable.Comparison(function.id(), cold.get(function), other.get(function)));
                }
                out.printf("%nAgainst the asset in %s:%n%n", against);
                out.print(ColdStartTable.formatComparison("--against", compared));
            }
            if (assembly != null) {
                Map<PipelineFunction, ColdStartTable.Probe> primedMedians = new java.util.EnumMap<>(PipelineFunction.class);
                primed.forEach((function, probes) -> primedMedians.put(function, ColdStartTable.Probe.median(probes)));
                out.printf("%nThrough AWS's runtime interface client, as Lambda runs the functions: the synthesized asset in %s unzipped"
                        + " as the task root, the template's handler and environment, SnapStart's init with every library's hook and ours"
                        + " (to checkpoint: JVM start to restore/next; restore: the afterRestore hooks); %d JVMs per function, %d warm"
                        + " invocations each; first / in-proc is the first invocation against the primed in-process JVM's above.%n%n",
                        assembly, runs, warmRuns);
                out.print(RuntimeClientColdStart.format(RuntimeClientColdStart.measure(pipeline, assembly, work, f -> {
                    try {
                        return eventFile(work, f);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, warmRuns, runs), primedMedians));
            }
            out.printf("Measured %s; the children's output is in %s.%n%n", LocalDate.now(), work);
        }
        out.print(assetSizes(asset));
    }

    /** A child's classpath: the probe's classes, the asset's, and what Lambda's runtime brings beside them. */
    private static List<Path> classpath(Path probe, Path asset) throws Exception {
        List<Path> classpath = new ArrayList<>();
        classpath.add(probe);
        classpath.addAll(ColdStartChild.assetClasspath(asset));
        // the Lambda runtime brings its own event serializers; the asset does not ship them
        classpath.add(Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        return classpath;
    }

    /** A job run to its end by the real pipeline, and the API's and the trigger's sample events sent once, so repeats take one path. */
    private static void seed(LocalPipeline pipeline, Path work) throws Exception {
        Path video = work.resolve("sample.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            for (String key : List.of("inputs/sample.mp4", "inputs/dropped/street scene.mp4")) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(video));
            }
        }
        ObjectNode request = new ObjectMapper().createObjectNode().put("prompt", "a sunny seaside street, wide shot")
                .put("resolution", "480p");
        pipeline.start(JOB, "inputs/sample.mp4", request);
        awaitExecutions(pipeline);
        for (PipelineFunction function : List.of(PipelineFunction.API, PipelineFunction.UPLOAD_TRIGGER)) {
            pipeline.cloud().functions().invoke(function.localName(), Files.readAllBytes(eventFile(work, function)));
        }
        awaitExecutions(pipeline);
    }

    private static void awaitExecutions(LocalPipeline pipeline) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (var sfn = pipeline.cloud().stepFunctions()) {
            while (true) {
                var executions = sfn.listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn())).executions();
                if (!executions.isEmpty() && executions.stream().noneMatch(e -> e.status() == ExecutionStatus.RUNNING)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the seeding jobs did not end within 3 minutes");
                }
                Thread.sleep(250);
            }
        }
    }

    private static Path eventFile(Path work, PipelineFunction function) throws IOException {
        Path file = work.resolve("events").resolve(EVENTS.get(function));
        if (!Files.exists(file)) {
            try (InputStream in = ColdStartBenchmark.class.getResourceAsStream("/events/" + EVENTS.get(function))) {
                if (in == null) {
                    throw new IOException("events/" + EVENTS.get(function) + " is not on the classpath");
                }
                // RecordFailure's sample names a job of its own: it too gets the job that ran
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("sample-job-missing-video", JOB);
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            }
        }
        return file;
    }

    /** The deployment asset (one for every function): its files, its size and its size zipped, as CDK uploads it. */
    static String assetSizes(Path asset) throws IOException {
        List<Path> files;
        try (var walk = Files.walk(asset)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        long bytes = 0;
        CountingStream counted = new CountingStream();
        try (ZipOutputStream zip = new ZipOutputStream(counted)) {
            for (Path file : files) {
                bytes += Files.size(file);
                zip.putNextEntry(new ZipEntry(asset.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        List<Path> largest = files.stream().filter(p -> p.toString().endsWith(".jar"))
                .sorted((a, b) -> Long.compare(size(b), size(a))).limit(5).toList();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Deployment asset %s (one asset; every function's code): %d files, %.1f MiB,"
                + " %.1f MiB zipped (Lambda's limits: 250 MB unzipped, 50 MB zipped for a direct upload).%n", asset, files.size(),
                bytes / 1048576.0, counted.count / 1048576.0));
        out.append("Largest jars: ");
        out.append(String.join(", ", largest.stream().map(p -> String.format(Locale.ROOT, "%s %.1f MiB", p.getFileName(),
                size(p) / 1048576.0)).toList()));
        out.append(String.format("%n"));
        return out.toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Map<PipelineFunction, String> events() {
        Map<PipelineFunction, String> events = new java.util.EnumMap<>(PipelineFunction.class);
        events.put(PipelineFunction.ADMIT, "admit.json");
        events.put(PipelineFunction.UPLOAD_INPUT, "upload-input.json");
        events.put(PipelineFunction.SUBMIT, "submit.json");
        events.put(PipelineFunction.CHECK_STATUS, "check-status.json");
        events.put(PipelineFunction.COPY_RESULTS, "copy-results.json");
        events.put(PipelineFunction.FINISH, "finish.json");
        events.put(PipelineFunction.RECORD_FAILURE, "record-failure.json");
        events.put(PipelineFunction.NOTIFY, "notify.json");
        events.put(PipelineFunction.API, "api-create-job.json");
        events.put(PipelineFunction.UPLOAD_TRIGGER, "s3-object-created.json");
        events.put(PipelineFunction.RECONCILE, "execution-status-change.json");
        events.put(PipelineFunction.SWEEP, "sweep.json");
        return events;
    }

    private static final class CountingStream extends OutputStream {
        long count;
        @Override public void write(int b) { count++; }
        @Override public void write(byte[] b, int off, int len) { count += len; }
    }
}
