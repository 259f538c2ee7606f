package io.outpaint.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ScenarioBillingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScenarioJob job(String status, String billing) throws Exception {
        ObjectNode job = (ObjectNode) JSON.readTree("{\"jobId\":\"job_1\",\"status\":\"" + status + "\",\"progress\":1,"
                + "\"metadata\":{\"assetIds\":[\"asset_1\"]},\"createdAt\":\"2026-05-14T10:00:00Z\"}");
        if (billing != null) {
            job.set("billing", JSON.readTree(billing));
        }
        return Answers.job(job);
    }

    private static int billed(ScenarioJob job) {
        return job.billing().orElseThrow().billed(job.status());
    }

    @Test
    void aSuccessIsBilledItsCostLessItsDiscount() throws Exception {
        assertThat(billed(job("success", "{\"cuCost\":48,\"cuDiscount\":8,\"disableRefund\":false}"))).isEqualTo(40);
    }

    @Test
    void aFractionOfAUnitIsBilledAsAWholeOne() throws Exception {
        assertThat(billed(job("success", "{\"cuCost\":47.25,\"cuDiscount\":0}"))).isEqualTo(48);
    }

    @Test
    void aFailureIsRefundedUnlessRefundsAreDisabled() throws Exception {
        assertThat(billed(job("failure", "{\"cuCost\":48,\"cuDiscount\":0,\"disableRefund\":false}"))).isZero();
        assertThat(billed(job("failure", "{\"cuCost\":48,\"cuDiscount\":0,\"disableRefund\":true}"))).isEqualTo(48);
        assertThat(billed(job("canceled", "{\"cuCost\":48}"))).isZero();
    }

    @Test
    void aDiscountLargerThanTheCostBillsNothingRatherThanACredit() throws Exception {
        assertThat(billed(job("success", "{\"cuCost\":10,\"cuDiscount\":25}"))).isZero();
    }

    @Test
    void aJobWithoutAReadableBillingHasNoneRatherThanFailing() throws Exception {
        assertThat(job("success", null).billing()).isEmpty();
        assertThat(job("success", "{\"cuCost\":\"lots\"}").billing()).isEmpty();
        assertThat(job("success", "[1]").billing()).isEmpty();
    }
}
