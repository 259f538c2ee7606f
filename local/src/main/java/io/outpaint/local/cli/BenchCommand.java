package io.outpaint.local.cli;

import io.outpaint.local.bench.CopyBenchmark;
import io.outpaint.local.bench.LoadBenchmark;
import io.outpaint.local.bench.PollingBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Benchmarks that print ratios against a baseline measured in the same run: "
                + "'polling' (adaptive vs a fixed 3 s poller), 'copy' (result copy vs one streamed PUT) and "
                + "'load' (many jobs at once through the local HTTP API vs one alone).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "polling|copy|load", description = "Which benchmark.")
    String which;

    @Option(names = "--minutes", split = ",", defaultValue = "1,5,10,30", description = "Job lengths for 'polling' (default: ${DEFAULT-VALUE}).")
    List<Integer> minutes;

    @Option(names = "--mib", split = ",", defaultValue = "256,1024", description = "Result sizes for 'copy' (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--jobs", defaultValue = "100", description = "Jobs for 'load' (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--concurrency", defaultValue = "20", description = "POSTs at a time for 'load' (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--job-seconds", defaultValue = "2", description = "Simulated Scenario job length for 'load' (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        switch (which) {
            case "polling" -> PollingBenchmark.run(Outpaint.out, minutes);
            case "copy" -> CopyBenchmark.run(Outpaint.out, sizes);
            case "load" -> {
                if (jobs < 1 || concurrency < 1 || jobSeconds < 1) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--jobs, --concurrency and --job-seconds must be at least 1");
                }
                try (FunctionLogs logs = FunctionLogs.toTempFile("bench")) {
                    LoadBenchmark.run(Outpaint.out, jobs, concurrency, jobSeconds);
                }
            }
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "'" + which + "' is not a benchmark; allowed: polling, copy, load");
        }
        return 0;
    }
}
