package io.outpaint.scenario;

import java.net.URI;

/** A Scenario asset: its temporary signed URL and what Scenario says the file is. */
public record ScenarioAsset(String id, URI url, String mimeType, long size, int width, int height,
                            double durationSeconds, double frameRate, int frames) {

    /** The URL without its signature, for logs. */
    public String urlForLogs() {
        return url.getScheme() + "://" + url.getAuthority() + url.getPath();
    }
}
