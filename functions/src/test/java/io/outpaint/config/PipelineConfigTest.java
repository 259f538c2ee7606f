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
    void hasNoBudgetUnlessOneIsGivenAndKeepsPricesADayByDefault() {
        PipelineConfig plain = PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b"));
        assertThat(plain.budget()).isEmpty();
        assertThat(plain.priceCacheTime()).isEqualTo(java.time.Duration.ofHours(24));

        PipelineConfig capped = PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "BUDGET_CREATIVE_UNITS", "5000", "BUDGET_PERIOD", "Month", "PRICE_CACHE_HOURS", "6"));
        assertThat(capped.budget()).hasValue(new io.outpaint.budget.Budget(5000, io.outpaint.budget.BudgetPeriod.MONTH));
        assertThat(capped.priceCacheTime()).isEqualTo(java.time.Duration.ofHours(6));
        assertThat(capped.toString()).contains("budget=5000/month");
    }

    @Test
    void refusesABudgetPeriodThatIsNotADayOrAMonthOrHasNoBudget() {
        assertThatThrownBy(() -> PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "BUDGET_CREATIVE_UNITS", "5", "BUDGET_PERIOD", "week")))
                .hasMessage("environment variable BUDGET_PERIOD must be day or month, not week");
        assertThatThrownBy(() -> PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b", "BUDGET_PERIOD", "day")))
                .hasMessage("BUDGET_PERIOD is set without BUDGET_CREATIVE_UNITS");
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
