package io.outpaint.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One generation job. Its status is a function of the clock: queued, warming-up, in-progress
 * (progress rising), finalizing, then success or failure at the end of its duration.
 */
final class SimulatedJob {

    record Phase(String status, double progress, Instant since) {}

    final String id;
    final Instant createdAt;
    final ObjectNode input;
    final Duration duration;
    final boolean stuck;
    final String error;
    final String hint;
    private final List<String> assetIds = new ArrayList<>();
    private Instant finishedAt;

    SimulatedJob(String id, Instant createdAt, ObjectNode input, Duration duration, boolean stuck,
                 String error, String hint) {
        this.id = id;
        this.createdAt = createdAt;
        this.input = input;
        this.duration = duration;
        this.stuck = stuck;
        this.error = error;
        this.hint = hint;
    }

    /** The phase at {@code now}; a job that succeeds reports {@code finalizing} until its result exists. */
    synchronized Phase phaseAt(Instant now) {
        double f = (double) Duration.between(createdAt, now).toMillis() / Math.max(1, duration.toMillis());
        if (stuck) {
            f = Math.min(f, 0.5);
        }
        if (f < 0.1) {
            return new Phase("queued", 0, createdAt);
        }
        if (f < 0.2) {
            return new Phase("warming-up", 0, at(0.1));
        }
        if (error != null && f >= 0.5) {
            return new Phase("failure", 0.5, at(0.5));
        }
        if (f < 0.85) {
            double progress = stuck ? 0.3 : Math.round((f - 0.2) / 0.65 * 0.9 * 1000) / 1000.0;
            return new Phase("in-progress", progress, at(0.2));
        }
        if (f < 1 || finishedAt == null) {
            return new Phase("finalizing", 0.95, at(0.85));
        }
        return new Phase("success", 1, finishedAt);
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
        Instant end = error != null ? at(0.5) : createdAt.plus(duration);
        return stuck || now.isBefore(end) ? null : end;
    }

    static boolean isFinal(String status) {
        return status.equals("success") || status.equals("failure") || status.equals("canceled");
    }

    List<Phase> history(Instant now) {
        Phase current = phaseAt(now);
        List<Phase> history = new ArrayList<>();
        for (String status : List.of("queued", "warming-up", "in-progress", "finalizing")) {
            if (status.equals(current.status())) {
                break;
            }
            if (status.equals("finalizing") && current.status().equals("failure")) {
                break;
            }
            double start = switch (status) {
                case "queued" -> 0;
                case "warming-up" -> 0.1;
                case "in-progress" -> 0.2;
                default -> 0.85;
            };
            history.add(new Phase(status, 0, at(start)));
        }
        history.add(current);
        return history;
    }

    private Instant at(double fraction) {
        return createdAt.plusMillis((long) (duration.toMillis() * fraction));
    }
}
