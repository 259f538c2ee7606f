package io.outpaint.local.bench;

import io.outpaint.job.PollSchedule;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.RetryPolicy;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioCredentials;
import io.outpaint.scenario.ScenarioJob;
import io.outpaint.scenario.ScenarioSettings;
import io.outpaint.simulator.ScenarioSimulator;
import io.outpaint.simulator.video.Mp4Video;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The adaptive poll schedule beside a fixed 3 s poller, on the same simulated jobs of 1, 5, 10
 * and 30 minutes, with a compressed clock: real status calls to the simulator, simulated time.
 * Counts status calls, the polling loop's state transitions (Wait, CheckStatus, IsDone per look),
 * and the detection delay (from Scenario's success to the look that sees it).
 */
public final class PollingBenchmark {

    /** One poller's result on one job. */
    record Run(int calls, double detectionSeconds) {
        int transitions() {
            return 3 * calls;
        }
    }

    private static final int FIXED_SECONDS = 3;

    private PollingBenchmark() {}

    public static void run(PrintStream out, List<Integer> minutes) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScenarioSimulator sim = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withClock(clock))) {
            ScenarioClient client = new ScenarioClient(ScenarioSettings.of(URI.create(sim.apiUrl()),
                    new ScenarioCredentials(sim.apiKey(), sim.apiSecret())).withRetry(RetryPolicy.defaults()));
            Path video = Files.createTempFile("poll-bench-", ".mp4");
            Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
            String asset;
            try (InputStream in = Files.newInputStream(video)) {
                asset = client.uploadVideo("bench.mp4", "video/mp4", in, Files.size(video), null);
            }
            OutpaintRequest request = OutpaintRequest.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"prompt\":\"benchmark\",\"resolution\":\"480p\"}"));
            PollSchedule schedule = PollSchedule.defaults();
            out.println("Polling: adaptive PollSchedule " + schedule + " vs a fixed " + FIXED_SECONDS + " s poller");
            out.println("simulated job lengths on a compressed clock; the same simulator and client for both");
            out.println("'first job': nothing known of the job's length; 'known length': jobs of the same shape have finished,");
            out.println("so the first look comes at 95% of their time and the next just past it (the usual case in a backlog)");
            out.printf("%-8s %-12s %18s %18s %12s %22s %22s%n", "job", "adaptive", "calls adapt/fixed", "transitions a/f",
                    "calls ratio", "detection adaptive", "detection fixed");
            for (int length : minutes) {
                Duration duration = Duration.ofMinutes(length);
                sim.jobDuration(duration);
                Run fixed = poll(clock, client, client.generate(request, asset), duration, schedule, FIXED_SECONDS, 0, true);
                Run cold = poll(clock, client, client.generate(request, asset), duration, schedule, schedule.first(), 0, false);
                Run known = poll(clock, client, client.generate(request, asset), duration, schedule,
                        schedule.firstFor(duration.toSeconds()), duration.toSeconds(), false);
                print(out, length, "first job", cold, fixed, duration);
                print(out, length, "known length", known, fixed, duration);
            }
            Files.deleteIfExists(video);
        }
    }

    private static void print(PrintStream out, int length, String mode, Run adaptive, Run fixed, Duration duration) {
        double ratio = (double) adaptive.calls() / fixed.calls();
        out.printf("%-8s %-12s %18s %18s %11.1f%% %12.1f s (%4.1f%%) %12.1f s (%4.1f%%)%s%n", length + " min", mode,
                adaptive.calls() + " / " + fixed.calls(), adaptive.transitions() + " / " + fixed.transitions(),
                100 * ratio, adaptive.detectionSeconds(), 100 * adaptive.detectionSeconds() / duration.toSeconds(),
                fixed.detectionSeconds(), 100 * fixed.detectionSeconds() / duration.toSeconds(),
                ratio <= 0.10 && adaptive.detectionSeconds() <= 0.05 * duration.toSeconds() ? "  goal met" : "  goal missed");
    }

    private static Run poll(ManualClock clock, ScenarioClient client, ScenarioJob job, Duration length,
                            PollSchedule schedule, int first, long expectedSeconds, boolean fixed) {
        Instant submitted = clock.instant();
        Instant success = submitted.plus(length);
        PollSchedule.Observation previous = new PollSchedule.Observation(0, submitted.toEpochMilli());
        int delay = first;
        int calls = 0;
        while (true) {
            clock.advance(Duration.ofSeconds(delay));
            calls++;
            ScenarioJob now = client.getJob(job.id());
            if (now.status() == ScenarioJob.Status.SUCCESS) {
                return new Run(calls, Duration.between(success, clock.instant()).toMillis() / 1000.0);
            }
            PollSchedule.Observation seen = new PollSchedule.Observation(now.progress(), clock.millis());
            double elapsed = Duration.between(submitted, clock.instant()).toMillis() / 1000.0;
            delay = fixed ? FIXED_SECONDS : schedule.next(previous, seen, delay, elapsed, expectedSeconds,
                    now.inProgressAfter().map(after -> submitted.toEpochMilli() + after.toMillis()).orElse(0L));
            previous = seen;
        }
    }
}
