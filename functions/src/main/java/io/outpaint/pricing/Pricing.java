package io.outpaint.pricing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.ScenarioNotFoundException;
import io.outpaint.scenario.ScenarioValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shape's price without the user's video: from the price book while its entry is younger than
 * {@code maxAge}, else from one dry run on a small reference video (uploaded once per deployment,
 * its asset id kept in the book), whose answer is kept. Frames beyond {@code numFrames}' range are
 * priced in proportion to the nearest frame count a dry run can ask (the simulator's rule is linear
 * in frames; Scenario's is not documented).
 */
public final class Pricing {

    private static final Logger LOG = LoggerFactory.getLogger(Pricing.class);
    static final String REFERENCE = "reference.mp4";
    private static final String PROMPT = "price reference";

    private final PriceBook book;
    private final DryRuns dryRuns;
    private final Duration maxAge;
    private final Clock clock;

    public Pricing(PriceBook book, DryRuns dryRuns, Duration maxAge, Clock clock) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("a price is kept for a positive time, not " + maxAge);
        }
        this.book = book;
        this.dryRuns = dryRuns;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public Estimate estimate(PriceShape shape) {
        PriceShape asked = shape.asked();
        Instant now = clock.instant();
        Optional<PriceBook.Price> cached = book.find(asked).filter(p -> p.pricedAt().plus(maxAge).isAfter(now));
        PriceBook.Price price = cached.orElseGet(() -> ask(asked, now));
        int units = scaled(price, shape, asked);
        return new Estimate(shape, units, cached.isPresent() ? Estimate.Source.CACHE : Estimate.Source.DRY_RUN, price.pricedAt());
    }

    /** The shape's price from the book alone, whatever its age (an old price still bounds a reservation); empty on a miss. */
    public Optional<Estimate> cached(PriceShape shape) {
        PriceShape asked = shape.asked();
        return book.find(asked).map(price -> new Estimate(shape, scaled(price, shape, asked), Estimate.Source.CACHE, price.pricedAt()));
    }

    private static int scaled(PriceBook.Price price, PriceShape shape, PriceShape asked) {
        return shape.equals(asked) ? price.creativeUnits()
                : (int) -Math.floorDiv(-(long) price.creativeUnits() * shape.frames(), asked.frames()); // rounded up
    }

    private PriceBook.Price ask(PriceShape asked, Instant now) {
        OutpaintRequest request = requestFor(asked);
        Optional<PriceBook.Reference> known = book.reference();
        String asset = known.map(PriceBook.Reference::assetId).orElseGet(() -> uploadReference(now));
        int cost;
        try {
            cost = dryRuns.cost(request, asset);
        } catch (ScenarioValidationException | ScenarioNotFoundException e) {
            if (known.isEmpty()) {
                throw e;
            }
            // the kept asset may have been deleted from the account: upload it again, once
            LOG.warn("dry run on reference asset {} refused ({}); uploading the reference again", asset, e.getClass().getSimpleName());
            cost = dryRuns.cost(request, uploadReference(now));
        }
        PriceBook.Price price = new PriceBook.Price(asked, cost, now);
        book.put(price);
        LOG.info("priced shape {} at {} creative units by a dry run", asked.key(), cost);
        return price;
    }

    private String uploadReference(Instant now) {
        String asset = dryRuns.uploadReference(referenceVideo(), REFERENCE, "video/mp4");
        book.putReference(new PriceBook.Reference(asset, now));
        LOG.info("uploaded the pricing reference video as {}", asset);
        return asset;
    }

    /** The request a dry run of {@code asked} sends: the shape's inputs, every other input at its default. */
    static OutpaintRequest requestFor(PriceShape asked) {
        ObjectNode json = io.outpaint.json.Json.MAPPER.createObjectNode();
        json.put("prompt", PROMPT).put("numFrames", asked.frames()).put("resolution", asked.resolution().wire())
                .put("numInferenceSteps", asked.steps()).put("numInterpolatedFrames", asked.interpolatedFrames());
        return OutpaintRequest.fromJson(json);
    }

    /** A 1 s, 320x240 MP4 shipped with the functions: small, so the one upload is quick. */
    static byte[] referenceVideo() {
        try (InputStream in = Pricing.class.getResourceAsStream(REFERENCE)) {
            if (in == null) {
                throw new IllegalStateException("the pricing reference video is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
