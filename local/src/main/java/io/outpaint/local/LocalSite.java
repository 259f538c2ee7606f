package io.outpaint.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a local runtime is bound to beyond its own settings: the Scenario it talks to (the real
 * API, or the simulator when empty), the folder that keeps its state across restarts (in memory
 * when empty), and the HTTP API's port (0: a free one).
 */
public record LocalSite(Optional<ScenarioAccount> scenario, Optional<Path> dataDir, int apiPort) {

    public LocalSite {
        if (apiPort < 0 || apiPort > 65_535) {
            throw new IllegalArgumentException("--port must be from 1 to 65535 (or 0 for a free one), not " + apiPort);
        }
    }

    /** The simulator, nothing kept, any free port: what tests use. */
    public static LocalSite ephemeral() {
        return new LocalSite(Optional.empty(), Optional.empty(), 0);
    }

    public LocalSite withScenario(Optional<ScenarioAccount> value) { return new LocalSite(value, dataDir, apiPort); }
    public LocalSite withDataDir(Path value) { return new LocalSite(scenario, Optional.of(value), apiPort); }
    public LocalSite withApiPort(int value) { return new LocalSite(scenario, dataDir, value); }
}
