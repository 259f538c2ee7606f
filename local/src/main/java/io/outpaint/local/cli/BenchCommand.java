package io.outpaint.local.cli;

import io.outpaint.local.bench.BacklogBenchmark;
import io.outpaint.local.bench.ColdStartBenchmark;
import io.outpaint.local.bench.CopyBenchmark;
import io.outpaint.local.bench.FinishBenchmark;
import io.outpaint.local.bench.JoinBenchmark;
import io.outpaint.local.bench.LoadBenchmark;
import io.outpaint.local.bench.LongBenchmark;
import io.outpaint.local.bench.PollingBenchmark;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Benchmarks that print ratios against a baseline measured in the same run: "
                + "'backlog' (the admission queue vs the retry-polled slot it replaced), "
                + "'polling' (adaptive vs a fixed 3 s poller), 'copy' (result copy vs one streamed PUT), "
                + "'load' (many jobs at once through the local HTTP API vs one alone) and 'coldstart' (each function's init and first "
                + "invocation in a fresh JVM vs a bare DynamoDB GetItem handler, the first invocation after SnapStart's priming vs a warm one, "
                + "and the deployment asset's size), 'finish' (finishing a clip vs a bare ffmpeg encode of it with the same encoder and "
                + "settings, per second of video), 'join' (a long clip's segments finished one by one and joined vs one finish of the whole "
                + "clip, per minute of video), 'long' (a long clip's segments through the local runtime at a limit: the makespan vs the ideal "
                + "segments x T / K, the Join per minute of video, and Scenario jobs, Lambda invocations and DynamoDB writes per segment).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "backlog|polling|copy|load|coldstart|finish|join|long", description = "Which benchmark.")
    String which;

    @Option(names = "--minutes", split = ",", defaultValue = "1,5,10,30", description = "Job lengths for 'polling' (default: ${DEFAULT-VALUE}).")
    List<Integer> minutes;

    @Option(names = "--mib", split = ",", defaultValue = "256,1024", description = "Result sizes for 'copy' (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--jobs", description = "Jobs for 'backlog' (default: 1000) or 'load' (default: 100).")
    Integer jobs;

    @Option(names = "--limit", defaultValue = "3", description = "Scenario jobs at once for 'backlog' and 'long' (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--concurrency", defaultValue = "20", description = "POSTs at a time for 'load' (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--job-seconds", description = "Length of each Scenario job for 'backlog' (default: 300, simulated) "
            + ", 'load' (default: 2) or 'long' (default: 30).")
    Integer jobSeconds;

    @Option(names = "--asset", description = "The Lambda asset for 'coldstart' (default: functions/target/lambda beside this"
            + " jar's module, else under the working directory).")
    java.nio.file.Path asset;

    @Option(names = "--against", description = "For 'coldstart': another build's Lambda asset (a copy of functions/target/lambda),"
            + " whose functions run beside this asset's in every round; a second table gives each function's ratio.")
    java.nio.file.Path against;

    @Option(names = "--assembly", description = "For 'coldstart': the synthesized cloud assembly whose asset the runtime client's part"
            + " runs (default: infra/cdk.out, when synthesis wrote it).")
    java.nio.file.Path assembly;

    @Option(names = "--warm", defaultValue = "5", description = "Warm invocations per JVM for 'coldstart', the median shown"
            + " (default: ${DEFAULT-VALUE}).")
    int warm;

    @Option(names = "--runs", defaultValue = "3", description = "Fresh JVMs per function and mode for 'coldstart', each figure"
            + " their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--heights", split = ",", defaultValue = "720,1080", description = "Source heights (16:9) for 'finish'"
            + " and 'join' (default: ${DEFAULT-VALUE}).")
    List<Integer> heights;

    @Option(names = "--seconds", description = "Clip length for 'finish' (default: 6) or 'long' (default: 180).")
    Integer seconds;

    @Option(names = "--duration-by-frames", description = "For 'long': --job-seconds is the time of a generation of the model's"
            + " most frames (241), a shorter one takes its share, as a generation's work grows with its frames (default: every"
            + " generation takes --job-seconds).")
    boolean durationByFrames;

    @Option(names = "--segments", defaultValue = "4", description = "Segments of the clip for 'join', each a whole generation"
            + " (default: ${DEFAULT-VALUE}).")
    int segments;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((jobs != null && jobs < 1) || (jobSeconds != null && jobSeconds < 1) || concurrency < 1 || limit < 1 || warm < 1 || runs < 1 || (seconds != null && seconds < 1)
                || segments < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--jobs, --job-seconds, --limit, --concurrency, --warm, --runs and --seconds must be at least 1, --segments at least 2");
        }
        // every benchmark's log lines (the functions', the Scenario client's) go to a file: its table stays readable
        try (FunctionLogs logs = FunctionLogs.toTempFile("bench")) {
            switch (which) {
                case "backlog" -> BacklogBenchmark.run(Outpaint.out, jobs == null ? 1000 : jobs, limit,
                        Duration.ofSeconds(jobSeconds == null ? 300 : jobSeconds));
                case "polling" -> PollingBenchmark.run(Outpaint.out, minutes);
                case "copy" -> CopyBenchmark.run(Outpaint.out, sizes);
                case "load" -> LoadBenchmark.run(Outpaint.out, jobs == null ? 100 : jobs, concurrency, jobSeconds == null ? 2 : jobSeconds);
                case "coldstart" -> ColdStartBenchmark.run(Outpaint.out, asset != null ? asset : defaultAsset(), against,
                        assembly(), warm, runs);
                case "finish" -> FinishBenchmark.run(Outpaint.out, heights, seconds == null ? 6 : seconds, runs);
                case "join" -> JoinBenchmark.run(Outpaint.out, heights, segments, runs);
                case "long" -> LongBenchmark.run(Outpaint.out, seconds == null ? 180 : seconds, limit, jobSeconds == null ? 30 : jobSeconds,
                        durationByFrames);
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "'" + which + "' is not a benchmark; allowed: backlog, polling, copy, load, coldstart, finish, join, long");
            }
        }
        return 0;
    }

    /** The cloud assembly for the runtime client's part: --assembly, else infra/cdk.out when synthesis wrote one. */
    private java.nio.file.Path assembly() {
        java.nio.file.Path chosen = assembly != null ? assembly : defaultAsset().getParent().getParent().getParent().resolve("infra/cdk.out");
        if (java.nio.file.Files.isRegularFile(chosen.resolve("manifest.json"))) {
            return chosen;
        }
        if (assembly != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--assembly " + assembly + " holds no manifest.json:"
                    + " give the folder that synthesis writes (mvn -B -ntp -pl infra -am package -DskipTests -Psynth writes infra/cdk.out)");
        }
        Outpaint.out.println("No cloud assembly at " + chosen + ": the runtime client's part is skipped (mvn -B -ntp -pl infra -am"
                + " package -DskipTests -Psynth writes it).");
        return null;
    }

    /** local/target/outpaint.jar (or local/target/classes) -> functions/target/lambda; else from the working directory. */
    private static java.nio.file.Path defaultAsset() {
        try {
            java.nio.file.Path here = java.nio.file.Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            java.nio.file.Path beside = here.getParent().getParent().getParent().resolve("functions/target/lambda");
            if (java.nio.file.Files.isDirectory(beside)) {
                return beside;
            }
        } catch (Exception e) {
            // no code source: the working directory below
        }
        return java.nio.file.Path.of("functions/target/lambda").toAbsolutePath();
    }
}
