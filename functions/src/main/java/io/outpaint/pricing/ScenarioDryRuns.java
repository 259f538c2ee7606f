package io.outpaint.pricing;

import io.outpaint.request.OutpaintRequest;
import io.outpaint.scenario.ScenarioClient;
import java.io.ByteArrayInputStream;
import java.util.function.Supplier;

/** {@link DryRuns} through the Scenario client, built when first needed (a cached price calls nothing). */
public final class ScenarioDryRuns implements DryRuns {

    private final Supplier<ScenarioClient> scenario;

    public ScenarioDryRuns(Supplier<ScenarioClient> scenario) {
        this.scenario = scenario;
    }

    @Override
    public String uploadReference(byte[] video, String fileName, String contentType) {
        return scenario.get().uploadVideo(fileName, contentType, new ByteArrayInputStream(video), video.length, null);
    }

    @Override
    public int cost(OutpaintRequest request, String videoAssetId) {
        return scenario.get().estimateCost(request, videoAssetId);
    }
}
