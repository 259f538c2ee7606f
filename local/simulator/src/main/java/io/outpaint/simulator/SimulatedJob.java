package io.outpaint.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One generation job. Its status is a function of the clock: pending, queued, warming-up,
 * in-progress (progress rising), finalizing, then success or failure at the end of its duration.
 * A job may skip warming-up and finalizing, as a real captured job did.
 */
final class SimulatedJob {

    record Phase(String status, double progress, Instant since) {}

    /** A running status and the share of the job's duration at which it begins. */
    private record Stage(String status, double start) {}

    private static final List<Stage> ALL_STAGES = List.of(new Stage("pending", 0), new Stage("queued", 0.05),
            new Stage("warming-up", 0.1), new Stage("in-progress", 0.2), new Stage("finalizing", 0.85));
    private static final List<Stage> SHORT_STAGES = List.of(new Stage("pending", 0), new Stage("queued", 0.05),
            new Stage("in-progress", 0.1));
    private static final double FAILS_AT = 0.5;
    private static final double RUNS_UNTIL = 0.85;

    final String id;
    final Instant createdAt;
    final ObjectNode input;
    final Duration duration;
    final boolean stuck;
    final String error;
    final String hint;
    private final List<Stage> stages;
    private final List<String> assetIds = new ArrayList<>();
    private Instant finishedAt;

    SimulatedJob(String id, Instant createdAt, ObjectNode input, Duration duration, boolean stuck,
                 boolean skipOptionalStages, String error, String hint) {
        this.id = id;
        this.createdAt = createdAt;
        this.input = input;
        this.duration = duration;
        this.stuck = stuck;
        this.stages = skipOptionalStages ? SHORT_STAGES : ALL_STAGES;
        this.error = error;
        this.hint = hint;
    }

    /** The phase at {@code now}; a job that succeeds stays in its last running stage until its result exists. */
    synchronized Phase phaseAt(Instant now) {
        double f = (double) Duration.between(createdAt, now).toMillis() / Math.max(1, duration.toMillis());
        if (stuck) {
            f = Math.min(f, FAILS_AT);
        }
        if (error != null && f >= FAILS_AT) {
            return new Phase("failure", FAILS_AT, at(FAILS_AT));
        }
        if (f >= 1 && finishedAt != null) {
            return new Phase("success", 1, finishedAt);
        }
        Stage stage = stages.get(0);
        for (Stage s : stages) {
            if (f >= s.start()) {
                stage = s;
            }
        }
        double progress = switch (stage.status()) {
            case "in-progress" -> stuck ? 0.3
                    : Math.min(0.95, Math.round((f - stage.start()) / (RUNS_UNTIL - stage.start()) * 0.9 * 1000) / 1000.0);
            case "finalizing" -> 0.95;
            default -> 0;
        };
        return new Phase(stage.status(), progress, at(stage.start()));
    }

    boolean dueForResult(Instant now) {
        return error == null && !stuck && !now.isBefore(createdAt.plus(duration)) && !hasResult();
    }

    synchronized boolean hasResult() {
        return finishedAt != null;
    }

    synchronized void finish(String assetId, Instant at) {
        assetIds.add(assetId);
        finishedAt = at;
    }

    synchronized List<String> assetIds() {
        return List.copyOf(assetIds);
    }

    /** When the job stopped running by its timeline (whether or not its result was rendered yet); null while it runs. */
    Instant endedAt(Instant now) {
        Instant end = error != null ? at(FAILS_AT) : createdAt.plus(duration);
        return stuck || now.isBefore(end) ? null : end;
    }

    static boolean isFinal(String status) {
        return status.equals("success") || status.equals("failure") || status.equals("canceled");
    }

    /** Every status the job has been in, oldest first, each with the time it began. */
    List<Phase> history(Instant now) {
        Phase current = phaseAt(now);
        List<Phase> history = new ArrayList<>();
        for (Stage stage : stages) {
            if (at(stage.start()).isBefore(current.since()) && !stage.status().equals(current.status())) {
                history.add(new Phase(stage.status(), 0, at(stage.start())));
            }
        }
        history.add(current);
        return history;
    }

    private Instant at(double fraction) {
        return createdAt.plusMillis((long) (duration.toMillis() * fraction));
    }
}
