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

    @Test
    void refusesInputsOverTenMinutesUnlessToldOtherwise() {
        assertThat(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b")).maxInputDuration())
                .isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b", "MAX_INPUT_SECONDS", "1800"))
                .maxInputDuration()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThatThrownBy(() -> PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b", "MAX_INPUT_SECONDS", "0")))
                .hasMessage("environment variable MAX_INPUT_SECONDS must be an integer from 1 to 86400, not 0");
    }

    @Test
    void overlapsSegmentsByEightGeneratedFramesUnlessToldZeroTo32() {
        assertThat(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b")).segmentOverlapFrames()).isEqualTo(8);
        assertThat(PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b", "SEGMENT_OVERLAP_FRAMES", "0"))
                .segmentOverlapFrames()).isZero();
        assertThatThrownBy(() -> PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b", "SEGMENT_OVERLAP_FRAMES", "33")))
                .hasMessage("environment variable SEGMENT_OVERLAP_FRAMES must be an integer from 0 to 32, not 33");
    }
}
