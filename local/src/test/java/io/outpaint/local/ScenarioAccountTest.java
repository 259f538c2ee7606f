package io.outpaint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioAccountTest {

    private static final Map<String, String> BOTH = Map.of("SCENARIO_API_KEY", "k-SECRETKEY", "SCENARIO_API_SECRET", "s-SECRETVALUE");

    @Test
    void noKeyMeansTheSimulator() {
        assertThat(ScenarioAccount.fromEnvironment(Map.of(), Optional.empty())).isEmpty();
        assertThat(ScenarioAccount.fromEnvironment(Map.of("SCENARIO_API_KEY", " "), Optional.empty())).isEmpty();
    }

    @Test
    void aKeyAndSecretMeanScenariosProductionApiUnlessAnotherUrlIsGiven() {
        assertThat(ScenarioAccount.fromEnvironment(BOTH, Optional.empty()).orElseThrow().apiUrl())
                .hasToString("https://api.cloud.scenario.com/v1");
        assertThat(ScenarioAccount.fromEnvironment(BOTH, Optional.of("http://127.0.0.1:4000/v1")).orElseThrow().apiUrl())
                .hasToString("http://127.0.0.1:4000/v1");
    }

    @Test
    void neverPrintsTheKeyOrSecret() {
        ScenarioAccount account = ScenarioAccount.fromEnvironment(BOTH, Optional.empty()).orElseThrow();
        assertThat(account.toString()).doesNotContain("SECRETKEY").doesNotContain("SECRETVALUE").contains("redacted");
    }

    @Test
    void refusesHalfAPairNamingTheMissingVariable() {
        assertThatThrownBy(() -> ScenarioAccount.fromEnvironment(Map.of("SCENARIO_API_KEY", "k"), Optional.empty()))
                .hasMessage("SCENARIO_API_KEY is set but SCENARIO_API_SECRET is not: set both to use Scenario, or neither for the simulator");
        assertThatThrownBy(() -> ScenarioAccount.fromEnvironment(Map.of("SCENARIO_API_SECRET", "s"), Optional.empty()))
                .hasMessageStartingWith("SCENARIO_API_SECRET is set but SCENARIO_API_KEY is not");
    }

    @Test
    void refusesAUrlWithoutAKeyAndUrlsThatWouldExposeTheKey() {
        assertThatThrownBy(() -> ScenarioAccount.fromEnvironment(Map.of(), Optional.of("https://api.cloud.scenario.com/v1")))
                .hasMessageContaining("--scenario-url needs SCENARIO_API_KEY and SCENARIO_API_SECRET");
        for (String bad : new String[] {"http://example.com/v1", "ftp://127.0.0.1/v1", "api.cloud.scenario.com/v1",
                "https://user:pw@api.cloud.scenario.com/v1", "https://api.cloud.scenario.com/v1?x=1", "not a url"}) {
            assertThatThrownBy(() -> ScenarioAccount.fromEnvironment(BOTH, Optional.of(bad))).as(bad)
                    .hasMessageStartingWith("--scenario-url must be an https URL").hasMessageNotContaining("pw");
        }
    }
}
