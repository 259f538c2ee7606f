package io.outpaint.local.cli;

import io.outpaint.local.bench.CopyBenchmark;
import io.outpaint.local.bench.PollingBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Benchmarks that print ratios against a baseline measured in the same run: "
                + "'polling' (adaptive vs a fixed 3 s poller) and 'copy' (result copy vs one streamed PUT).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "polling|copy", description = "Which benchmark.")
    String which;

    @Option(names = "--minutes", split = ",", defaultValue = "1,5,10,30", description = "Job lengths for 'polling' (default: ${DEFAULT-VALUE}).")
    List<Integer> minutes;

    @Option(names = "--mib", split = ",", defaultValue = "256,1024", description = "Result sizes for 'copy' (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Override
    public Integer call() throws Exception {
        switch (which) {
            case "polling" -> PollingBenchmark.run(Outpaint.out, minutes);
            case "copy" -> CopyBenchmark.run(Outpaint.out, sizes);
            default -> {
                Outpaint.out.println("bench: unknown benchmark '" + which + "'; allowed: polling, copy");
                return 2;
            }
        }
        return 0;
    }
}
