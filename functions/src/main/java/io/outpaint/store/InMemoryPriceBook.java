package io.outpaint.store;

import io.outpaint.pricing.PriceBook;
import io.outpaint.pricing.PriceShape;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** {@link PriceBook} in memory: for tests, and for services built without a table. */
public final class InMemoryPriceBook implements PriceBook {

    private final Map<PriceShape, Price> prices = new ConcurrentHashMap<>();
    private final AtomicReference<Reference> reference = new AtomicReference<>();

    @Override
    public Optional<Price> find(PriceShape shape) {
        return Optional.ofNullable(prices.get(shape));
    }

    @Override
    public void put(Price price) {
        prices.put(price.shape(), price);
    }

    @Override
    public Optional<Reference> reference() {
        return Optional.ofNullable(reference.get());
    }

    @Override
    public void putReference(Reference value) {
        reference.set(value);
    }
}
