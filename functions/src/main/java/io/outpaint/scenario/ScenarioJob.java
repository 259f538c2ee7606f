package io.outpaint.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Scenario job as {@code GET /v1/jobs/{id}} reports it, checked where it enters.
 * {@code inProgressAfter}: while in progress, how long after its creation it went in progress
 * (from its status history, on Scenario's own clock). {@code succeededAfter}: once it succeeded,
 * how long after its creation (its history's {@code success} date, else its {@code updatedAt}):
 * the time Scenario took, without the delay before a look saw it.
 */
public record ScenarioJob(String id, Status status, double progress, List<String> assetIds,
                          Optional<String> error, Optional<String> hint, JsonNode input, Instant createdAt,
                          Optional<Duration> inProgressAfter, Optional<Duration> succeededAfter,
                          Optional<Billing> billing) {

    /**
     * What Scenario says the job costs: {@code cuCost} less {@code cuDiscount} is billed, except that a
     * failed (or canceled) job is refunded unless {@code disableRefund}.
     */
    public record Billing(double cuCost, double cuDiscount, boolean disableRefund) {

        /** The creative units billed for a job that ended in {@code status}, rounded up; 0 for a refund. */
        public int billed(Status status) {
            if (status != Status.SUCCESS && !disableRefund) {
                return 0;
            }
            return (int) Math.ceil(Math.max(0, cuCost - cuDiscount));
        }
    }

    /** The documented eight; anything else is a protocol error, never "still running". */
    public enum Status {
        PENDING("pending"), QUEUED("queued"), WARMING_UP("warming-up"), IN_PROGRESS("in-progress"),
        FINALIZING("finalizing"), SUCCESS("success"), FAILURE("failure"), CANCELED("canceled");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public boolean isFinal() {
            return this == SUCCESS || this == FAILURE || this == CANCELED;
        }

        static Status fromWire(String value) {
            return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst()
                    .orElseThrow(() -> new ScenarioProtocolException(
                            "Scenario reported an undocumented job status: " + Answers.shown(value), 200, null, null));
        }
    }

    public ScenarioJob {
        assetIds = List.copyOf(assetIds);
    }
}
