package io.outpaint.local.cli;

import io.outpaint.local.bench.BacklogBenchmark;
import io.outpaint.local.bench.CopyBenchmark;
import io.outpaint.local.bench.PollingBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print ratios against a baseline measured in the same run: "
                + "'polling' (adaptive vs a fixed 3 s poller), 'copy' (result copy vs one streamed PUT) and 'backlog' "
                + "(the admission queue vs the retry-polled slot it replaced).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "polling|copy|backlog", description = "Which benchmark.")
    String which;

    @Option(names = "--minutes", split = ",", defaultValue = "1,5,10,30", description = "Job lengths for 'polling' (default: ${DEFAULT-VALUE}).")
    List<Integer> minutes;

    @Option(names = "--mib", split = ",", defaultValue = "256,1024", description = "Result sizes for 'copy' (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--jobs", defaultValue = "1000", description = "Jobs in the backlog for 'backlog' (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--limit", defaultValue = "3", description = "Scenario jobs at once for 'backlog' (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--job-seconds", defaultValue = "300", description = "Length of each Scenario job for 'backlog' (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

    @Override
    public Integer call() throws Exception {
        switch (which) {
            case "polling" -> PollingBenchmark.run(Outpaint.out, minutes);
            case "copy" -> CopyBenchmark.run(Outpaint.out, sizes);
            case "backlog" -> BacklogBenchmark.run(Outpaint.out, jobs, limit, java.time.Duration.ofSeconds(jobSeconds));
            default -> {
                Outpaint.out.println("bench: unknown benchmark '" + which + "'; allowed: polling, copy, backlog");
                return 2;
            }
        }
        return 0;
    }
}
