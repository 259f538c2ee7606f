package io.outpaint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

    @Test
    void neverPrintsTheSecretsItHolds() {
        PipelineConfig config = PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "SCENARIO_API_KEY", "key-PRINTED-NOWHERE", "SCENARIO_API_SECRET", "secret-PRINTED-NOWHERE",
                "WEBHOOK_SECRET", "whsec-PRINTED-NOWHERE"));
        assertThat(config.toString()).doesNotContain("PRINTED-NOWHERE").contains("[redacted]").contains("table=t");
        assertThat(config.hasScenarioCredentials()).isTrue();
    }

    @Test
    void namesTheVariableThatIsMissingOrOutOfRange() {
        assertThatThrownBy(() -> PipelineConfig.fromEnvironment(Map.of("BUCKET_NAME", "b")))
                .hasMessage("environment variable TABLE_NAME must be set");
        assertThatThrownBy(() -> PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b", "MAX_JOBS_IN_FLIGHT", "0")))
                .hasMessage("environment variable MAX_JOBS_IN_FLIGHT must be an integer from 1 to 1000, not 0");
    }
}
