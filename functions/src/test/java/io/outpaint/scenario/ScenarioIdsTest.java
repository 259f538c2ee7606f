package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Scenario's ids as every caller checks them: one rule for job, upload and asset ids. */
class ScenarioIdsTest {

    @Test
    void anIdIsUpTo128UrlSafeCharacters() {
        assertThat(ScenarioIds.isId("job_25bf9609a86c4809b830")).isTrue();
        assertThat(ScenarioIds.isId("a".repeat(128))).isTrue();
        for (String bad : new String[] {null, "", "a".repeat(129), "job/../x", "job 1", "job?x=1", "jöb"}) {
            assertThat(ScenarioIds.isId(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void anAssetIdIsAnIdAfterAsset_() {
        assertThat(ScenarioIds.isAssetId("asset_ed159459ddb144309b5d")).isTrue();
        for (String bad : new String[] {null, "asset_", "job_1", "Asset_1", "asset_1/2", "asset_" + "a".repeat(129)}) {
            assertThat(ScenarioIds.isAssetId(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
