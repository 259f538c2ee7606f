package io.outpaint.pricing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A job's price before it runs: the shape, the units, where the figure came from and when it was asked. */
public record Estimate(PriceShape shape, int creativeUnits, Source source, Instant pricedAt) {

    public enum Source {
        CACHE("cache"), DRY_RUN("dryRun");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** The estimate as the API answers it. */
    public ObjectNode toJson() {
        ObjectNode json = io.outpaint.json.Json.MAPPER.createObjectNode();
        json.put("creativeUnits", creativeUnits);
        json.put("source", source.wire());
        json.set("shape", shape.toJson());
        json.put("pricedAt", pricedAt.toString());
        if (!shape.asked().equals(shape)) {
            json.put("scaledFromFrames", shape.asked().frames());
        }
        return json;
    }
}
