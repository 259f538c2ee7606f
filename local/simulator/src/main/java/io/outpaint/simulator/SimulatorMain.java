package io.outpaint.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code simulator [--port N] [--job-seconds S]}: runs the simulator until interrupted. */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        ScenarioSimulator.Settings settings = ScenarioSimulator.Settings.defaults();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> settings = settings.withPort(Integer.parseInt(value(args, ++i, "--port")));
                case "--job-seconds" -> settings = settings.withJobDuration(
                        Duration.ofSeconds(Long.parseLong(value(args, ++i, "--job-seconds"))));
                case "-h", "--help" -> {
                    System.out.println("usage: simulator [--port N] [--job-seconds S]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + "; usage: simulator [--port N] [--job-seconds S]");
                    System.exit(2);
                }
            }
        }
        ScenarioSimulator simulator = ScenarioSimulator.start(settings);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        // these are the simulator's own throwaway credentials, not a real Scenario key
        System.out.println("Scenario simulator listening on " + simulator.apiUrl());
        System.out.println("  accepts API key: " + simulator.apiKey() + "  secret: " + simulator.apiSecret());
        System.out.println("  jobs take " + settings.jobDuration().toSeconds() + " s; Ctrl-C stops it");
        stop.await();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
