package io.outpaint.local.cli;

import io.outpaint.simulator.ScenarioSimulator;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulator", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Runs the Scenario API simulator alone and prints its base URL and the key and secret it accepts.")
final class SimulatorCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", description = "Port to listen on (default: a free one).")
    int port;

    @Option(names = "--job-seconds", defaultValue = "20", description = "How long each job takes (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535 || jobSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), port < 0 || port > 65535
                    ? "--port " + port + " is not allowed; allowed: 1 to 65535, or 0 for a free one"
                    : "--job-seconds " + jobSeconds + " is not allowed; allowed: 1 or more");
        }
        ScenarioSimulator simulator;
        try {
            simulator = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withPort(port)
                    .withJobDuration(Duration.ofSeconds(jobSeconds)));
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.BindException) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--port " + port + " is in use; allowed: a free port, or 0 for any free one");
                }
            }
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        // the simulator's own throwaway credentials, never a real Scenario key
        Outpaint.out.println("Scenario simulator listening on " + simulator.apiUrl());
        Outpaint.out.println("  API key: " + simulator.apiKey() + "   API secret: " + simulator.apiSecret());
        Outpaint.out.println("  jobs take " + jobSeconds + " s; Ctrl-C stops it");
        stop.await();
        return 0;
    }
}
