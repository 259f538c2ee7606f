package io.outpaint.scenario;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Scenario's API key and secret. Never printed: {@link #toString()} hides both. */
public final class ScenarioCredentials {

    private final String key;
    private final String secret;

    public ScenarioCredentials(String key, String secret) {
        if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("Scenario API key and secret must both be set");
        }
        this.key = key;
        this.secret = secret;
    }

    /** The value of the {@code Authorization} header; keep it out of logs and errors. */
    String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ScenarioCredentials[redacted]";
    }
}
