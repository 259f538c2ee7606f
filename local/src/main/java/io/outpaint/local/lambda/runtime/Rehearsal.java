package io.outpaint.local.lambda.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One function's process, started as Lambda starts it ({@link RuntimeClientLauncher}) and taken
 * through SnapStart's init: the handler loaded, every {@code beforeCheckpoint} hook run (the
 * checkpoint is the client's {@code restore/next}), every {@code afterRestore} hook run, and the
 * client asking for its first invocation. Then it takes invocations until closed. A start that does
 * not get there throws {@link RehearsalFailure}, naming the function and, when the cause is a class
 * that could not load, that class.
 */
public final class Rehearsal implements AutoCloseable {

    /** How the init went: its time to the checkpoint, the restore's time, and the hooks that ran before the checkpoint. */
    public record Init(Duration toCheckpoint, Duration restore, List<String> hooks) {}

    private static final Pattern MISSING_CLASS = Pattern.compile(
            "(NoClassDefFoundError|ClassNotFoundException|NoSuchMethodError|IncompatibleClassChangeError)[:\\s]+([\\w./$]+)");

    private final RuntimeClientLauncher.Launch launch;
    private final RuntimeApi api;
    private final Process process;
    private final Path log;
    private final Init init;

    private Rehearsal(RuntimeClientLauncher.Launch launch, RuntimeApi api, Process process, Path log, Init init) {
        this.launch = launch;
        this.api = api;
        this.process = process;
        this.log = log;
        this.init = init;
    }

    /** Starts the function and waits (up to {@code timeout}) until it asks for its first invocation. */
    public static Rehearsal start(RuntimeClientLauncher.Launch launch, Path work, Duration timeout)
            throws IOException, InterruptedException {
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:" + launch.functionName() + ":live";
        RuntimeApi api = new RuntimeApi(arn);
        Path log = work.resolve(launch.functionName() + ".log");
        long started = System.nanoTime();
        Process process = RuntimeClientLauncher.start(launch, api, work, log);
        long deadline = started + timeout.toNanos();
        Long checkpoint = null;
        try {
            while (true) {
                Optional<RuntimeApi.Milestone> seen = api.nextMilestone(Duration.ofMillis(100));
                if (seen.isPresent()) {
                    RuntimeApi.Milestone m = seen.get();
                    switch (m.kind()) {
                        case RESTORE_NEXT -> checkpoint = m.atNanos();
                        case NEXT -> {
                            if (checkpoint == null && !launch.snapStart()) {
                                // an on-demand init: no checkpoint, no hooks; its whole init is the time to the first next
                                return new Rehearsal(launch, api, process, log, new Init(Duration.ofNanos(m.atNanos() - started),
                                        Duration.ZERO, hooks(log)));
                            }
                            if (checkpoint == null) {
                                throw failure(launch, "asked for an invocation without SnapStart's checkpoint (restore/next):"
                                        + " the init type did not reach the runtime client", log, process);
                            }
                            Init init = new Init(Duration.ofNanos(checkpoint - started), Duration.ofNanos(m.atNanos() - checkpoint),
                                    hooks(log));
                            return new Rehearsal(launch, api, process, log, init);
                        }
                        case INIT_ERROR -> throw failure(launch, "reported an init error (" + m.errorType() + "): " + m.body(), log, process);
                        case RESTORE_ERROR -> throw failure(launch, "reported a restore error (" + m.errorType() + "): " + m.body(), log, process);
                        default -> { }
                    }
                } else if (!process.isAlive()) {
                    throw failure(launch, "exited with " + process.exitValue() + " during its "
                            + (checkpoint == null ? "init (before SnapStart's checkpoint)" : "restore"), log, process);
                } else if (System.nanoTime() > deadline) {
                    throw failure(launch, "did not finish its init within " + timeout.toSeconds() + " s", log, process);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            api.close();
            throw e;
        }
    }

    public Init init() {
        return init;
    }

    public Path log() {
        return log;
    }

    /** One invocation of the running function. */
    public RuntimeApi.Answer invoke(byte[] event, Duration timeout) throws InterruptedException, IOException {
        try {
            return api.invoke(event, timeout);
        } catch (TimeoutException e) {
            throw failure(launch, "did not answer an invocation within " + timeout.toSeconds() + " s", log, process);
        }
    }

    public RuntimeApi.Answer invoke(String event, Duration timeout) throws InterruptedException, IOException {
        return invoke(event.getBytes(StandardCharsets.UTF_8), timeout);
    }

    private static List<String> hooks(Path log) throws IOException {
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf(HookObserver.MARK + " hooks ");
            if (at >= 0) {
                String list = line.substring(at + (HookObserver.MARK + " hooks ").length()).trim();
                return list.isEmpty() ? List.of() : Arrays.asList(list.split(","));
            }
        }
        return List.of();
    }

    private static RehearsalFailure failure(RuntimeClientLauncher.Launch launch, String what, Path log, Process process) {
        if (process.isAlive()) {
            try {
                process.waitFor(2, TimeUnit.SECONDS); // its last words, when it is on its way out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String output;
        try {
            output = Files.readString(log);
        } catch (IOException e) {
            output = "";
        }
        Matcher missing = MISSING_CLASS.matcher(output);
        Optional<String> missingClass = missing.find() ? Optional.of(missing.group(2).replace('/', '.')) : Optional.empty();
        String tail = String.join("\n", output.lines().skip(Math.max(0, output.lines().count() - 25)).toList());
        return new RehearsalFailure(launch.functionName(), missingClass, launch.functionName() + " (" + launch.handler() + ") "
                + what + missingClass.map(c -> "; a class could not load: " + c).orElse("") + "\n--- its last output (" + log + "):\n"
                + tail);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        api.close();
    }

    /** A function that did not start as Lambda would start it. */
    public static final class RehearsalFailure extends IOException {
        private final String function;
        private final Optional<String> missingClass;

        RehearsalFailure(String function, Optional<String> missingClass, String message) {
            super(message);
            this.function = function;
            this.missingClass = missingClass;
        }

        public String function() {
            return function;
        }

        public Optional<String> missingClass() {
            return missingClass;
        }
    }
}
