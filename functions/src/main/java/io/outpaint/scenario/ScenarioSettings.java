package io.outpaint.scenario;

import java.net.URI;
import java.time.Duration;

/**
 * Where Scenario is and how to talk to it. {@code apiUrl} is {@code https://api.cloud.scenario.com/v1}
 * in production; any other base (the simulator) is reached the same way.
 */
public record ScenarioSettings(URI apiUrl, ScenarioCredentials credentials, Duration connectTimeout,
                               Duration readTimeout, RetryPolicy retry, int partSizeBytes,
                               Duration uploadPollInterval, Duration uploadTimeout) {

    public static final URI PRODUCTION = URI.create("https://api.cloud.scenario.com/v1");
    public static final int MIN_PART_BYTES = 5 * 1024 * 1024;

    public ScenarioSettings {
        if (partSizeBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("partSizeBytes must be at least 5 MiB (Scenario's minimum part size)");
        }
        apiUrl = URI.create(apiUrl.toString().replaceAll("/+$", ""));
    }

    public static ScenarioSettings of(URI apiUrl, ScenarioCredentials credentials) {
        return new ScenarioSettings(apiUrl, credentials, Duration.ofSeconds(5), Duration.ofSeconds(30),
                RetryPolicy.defaults(), 8 * 1024 * 1024, Duration.ofSeconds(2), Duration.ofMinutes(5));
    }

    public ScenarioSettings withRetry(RetryPolicy value) {
        return new ScenarioSettings(apiUrl, credentials, connectTimeout, readTimeout, value, partSizeBytes, uploadPollInterval, uploadTimeout);
    }

    public ScenarioSettings withTimeouts(Duration connect, Duration read) {
        return new ScenarioSettings(apiUrl, credentials, connect, read, retry, partSizeBytes, uploadPollInterval, uploadTimeout);
    }

    public ScenarioSettings withUpload(int partSize, Duration pollInterval, Duration timeout) {
        return new ScenarioSettings(apiUrl, credentials, connectTimeout, readTimeout, retry, partSize, pollInterval, timeout);
    }
}
