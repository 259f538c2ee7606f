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

    @Option(names = "--port", description = "Port to listen on (default: a free one).")
    int port;

    @Option(names = "--job-seconds", defaultValue = "20", description = "How long each job takes (default: ${DEFAULT-VALUE}).")
    int jobSeconds;

    @Override
    public Integer call() throws InterruptedException {
        ScenarioSimulator simulator = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withPort(port)
                .withJobDuration(Duration.ofSeconds(jobSeconds)));
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
