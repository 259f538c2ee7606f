package io.outpaint.local.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code run}, {@code serve}, {@code bench load} and {@code bench long} go on in a JVM with only HotSpot's first
 * compiler (C1), {@code -XX:TieredStopAtLevel=1}, the flag Lambda itself starts Java functions
 * with. These commands run the whole local runtime (S3Mock's Spring Boot, DynamoDB Local, the SDK,
 * every function) in one JVM, on a machine that may have two cores: with the second compiler (C2)
 * too, its compilations take those cores while the first jobs run. Measured with {@code bench
 * load} (100 jobs, 20 POSTs at a time, on a runtime just started): POST p95 2.0 to 2.2 s and a
 * job's time beyond Scenario's 3.7 to 3.8 s at the median with C2, 0.94 to 1.08 s and 2.0 to 2.2 s with
 * C1 only; once the runtime has run a while, 0.69 to 0.78 s and 1.7 s against 0.50 s and 1.7 to
 * 1.8 s. {@code run} alone: the runtime up in about 7 s instead of 10, half the CPU.
 * A JVM flag cannot be set from inside, hence a second JVM; it inherits this one's streams and
 * flags, its exit code is this one's, a stop of this one stops it, and it ends if this one is
 * killed outright. A JVM already started with a {@code TieredStopAtLevel} of the user's choice, under
 * a debugger, or with a flag that would clash in a second JVM ({@link #STAYS}) is left as it is.
 */
final class C1Jvm {

    /** Flags that keep a command in the JVM it was started in: the launcher has taken their port or file, or runs their agent. */
    static final List<String> STAYS = List.of("-agentlib", "-agentpath", "-javaagent", "-Xrunjdwp", "-Xdebug", "-Xlog", "-Xloggc", "-XX:StartFlightRecording",
            "-XX:FlightRecorderOptions", "-Dcom.sun.management.jmxremote");

    /** Set in the second JVM, so that it never starts a third. */
    static final String MARK = "outpaint.shortRunJvm";

    private C1Jvm() {}

    /** The command line of the second JVM, when {@code args} is a command that should move to one. */
    static Optional<List<String>> commandFor(String[] args, List<String> jvmFlags, String javaHome, String classPath) {
        List<String> words = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toList();
        boolean moves = !words.isEmpty() && (words.get(0).equals("run") || words.get(0).equals("serve")
                || words.get(0).equals("bench") && words.size() > 1 && List.of("load", "long").contains(words.get(1)));
        // a JVM with its compiler chosen, under a debugger, or with a flag that two JVMs cannot both honour
        // (an agent, a JMX port, a log or recording file) stays as it is
        boolean chosen = jvmFlags.stream().anyMatch(f -> f.startsWith("-XX:TieredStopAtLevel") || f.startsWith("-D" + MARK)
                || STAYS.stream().anyMatch(f::startsWith));
        if (!moves || chosen || classPath == null || classPath.isBlank()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-D" + MARK + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classPath);
        command.add(Outpaint.class.getName());
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /** Runs {@code args} in the second JVM when it should; its exit code, or empty to go on in this one. */
    static Optional<Integer> relaunch(String[] args) {
        if (System.getProperty(MARK) != null) {
            watchLauncher();
            return Optional.empty();
        }
        Optional<List<String>> command = commandFor(args, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.home"), System.getProperty("java.class.path"));
        if (command.isEmpty() || !new File(command.get().get(0)).canExecute()) {
            return Optional.empty();
        }
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(command.get()).inheritIO();
            // their flags are among this JVM's input arguments, given to the second one already: not twice
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("JDK_JAVA_OPTIONS");
            child = builder.start();
        } catch (java.io.IOException e) {
            return Optional.empty(); // it runs here instead, only slower
        }
        // Ctrl-C or a kill reaches this JVM: the job's runtime is stopped cleanly before this one ends
        Thread stopChild = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outpaint-stop-c1-jvm");
        Runtime.getRuntime().addShutdownHook(stopChild);
        while (true) {
            try {
                int code = child.waitFor();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopChild);
                } catch (IllegalStateException shuttingDown) {
                    // this JVM is already stopping (Ctrl-C): its hook has stopped the child
                }
                return Optional.of(code);
            } catch (InterruptedException e) {
                // keep waiting: the child's end is this command's end
            }
        }
    }

    /** In the second JVM: ends when the JVM that started it is gone, even after a kill -9 of that one (or before this one ran). */
    private static void watchLauncher() {
        Optional<ProcessHandle> launcher;
        try {
            launcher = ProcessHandle.of(Long.parseLong(System.getProperty(MARK)));
        } catch (NumberFormatException e) {
            launcher = ProcessHandle.current().parent();
        }
        if (launcher.isEmpty() || !launcher.get().isAlive()) {
            System.exit(130);
        }
        launcher.get().onExit().thenRun(() -> System.exit(130));
    }
}
