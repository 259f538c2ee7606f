package io.outpaint.pricing;

import io.outpaint.request.OutpaintRequest;

/** The two Scenario calls pricing needs: the reference video uploaded once, then a dry run per shape. */
public interface DryRuns {

    /** Uploads the reference video; its asset id. */
    String uploadReference(byte[] video, String fileName, String contentType);

    /** Scenario's price of {@code request} on the asset; starts nothing. */
    int cost(OutpaintRequest request, String videoAssetId);
}
