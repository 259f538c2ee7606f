package io.outpaint.pricing;

import java.time.Instant;
import java.util.Optional;

/** Where the price of each shape is kept, with when it was asked, and the reference video's asset id. */
public interface PriceBook {

    /** What a dry run said a shape costs, and when. */
    record Price(PriceShape shape, int creativeUnits, Instant pricedAt) {}

    /** Scenario's asset of the reference video, and when it was uploaded. */
    record Reference(String assetId, Instant uploadedAt) {}

    Optional<Price> find(PriceShape shape);

    void put(Price price);

    Optional<Reference> reference();

    void putReference(Reference reference);
}
