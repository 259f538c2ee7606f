package io.outpaint.local;

import io.outpaint.simulator.ScenarioSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Scenario a local runtime talks to: Scenario's API (or anything at {@code --scenario-url})
 * when an account is given, else an in-process simulator started and stopped with the runtime.
 */
final class LocalScenario implements AutoCloseable {

    private final Optional<ScenarioAccount> account;
    private final ScenarioSimulator simulator;

    private LocalScenario(Optional<ScenarioAccount> account, ScenarioSimulator simulator) {
        this.account = account;
        this.simulator = simulator;
    }

    static LocalScenario start(Optional<ScenarioAccount> account, int simulatorPort, Duration simulatedJobDuration) {
        return new LocalScenario(account, account.isPresent() ? null : ScenarioSimulator.start(
                ScenarioSimulator.Settings.defaults().withPort(simulatorPort).withJobDuration(simulatedJobDuration)));
    }

    boolean simulated() {
        return simulator != null;
    }

    ScenarioSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("this runtime talks to Scenario at " + url() + ", not to a simulator");
        }
        return simulator;
    }

    String url() {
        return simulator != null ? simulator.apiUrl() : account.orElseThrow().apiUrl().toString();
    }

    /** One line saying which Scenario this is, for people. */
    String description() {
        return simulator != null
                ? "the Scenario simulator at " + url() + " (no " + ScenarioAccount.KEY_VARIABLE + " and "
                        + ScenarioAccount.SECRET_VARIABLE + " set; nothing is sent to Scenario)"
                : "the real Scenario API at " + url() + " (key and secret from " + ScenarioAccount.KEY_VARIABLE
                        + " and " + ScenarioAccount.SECRET_VARIABLE + "; jobs are billed to that account)";
    }

    /** Where Scenario is, its key and secret, and how often to look at it, as the functions read them. */
    void configure(Map<String, String> env) {
        env.put("SCENARIO_API_URL", url());
        env.put("SCENARIO_API_KEY", simulator != null ? simulator.apiKey() : account.orElseThrow().key());
        env.put("SCENARIO_API_SECRET", simulator != null ? simulator.apiSecret() : account.orElseThrow().secret());
        if (simulator != null) {
            env.put("SCENARIO_UPLOAD_POLL_MILLIS", "200");
            // simulated jobs last seconds, not minutes: look early and often enough to show their progress
            env.put("POLL_MIN_SECONDS", "1");
            env.put("POLL_FIRST_SECONDS", "2");
            env.put("POLL_QUIET_MAX_SECONDS", "5");
        } else {
            // Scenario's own clients poll every 2 to 4 s; real jobs take minutes
            env.put("SCENARIO_UPLOAD_POLL_MILLIS", "2000");
            env.put("POLL_MIN_SECONDS", "2");
            env.put("POLL_FIRST_SECONDS", "5");
            env.put("POLL_QUIET_MAX_SECONDS", "15");
        }
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
