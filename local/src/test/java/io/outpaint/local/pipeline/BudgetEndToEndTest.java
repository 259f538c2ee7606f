package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetLedger;
import io.outpaint.budget.BudgetPeriod;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.simulator.Route;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A budget through the HTTP API, the real state machine and the real handlers: with a budget for two
 * jobs, five jobs run two and hold three as WAITING_FOR_BUDGET at their places, with nothing sent to
 * Scenario and no execution for them; a raise admits them in order; the books balance at the end.
 * Slots are plenty (5): only the budget holds jobs back. The periodic sweep is off.
 */
class BudgetEndToEndTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static final String KEY = "inputs/budget/clip.mp4";
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(5)
                .withTime(0.01, 100).withJobDuration(Duration.ofSeconds(4)).withSweepEvery(Duration.ZERO)
                .withBudget(new Budget(0, BudgetPeriod.DAY)));
        api = new ApiCalls(pipeline);
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(KEY).contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static Job record(String jobId) {
        return pipeline.services().jobs().get(jobId);
    }

    private static Instant admittedAt(String jobId) {
        return record(jobId).history().stream().filter(c -> c.status() == JobStatus.ADMITTED).findFirst()
                .orElseThrow(() -> new AssertionError(jobId + " was never admitted")).at();
    }

    @Test
    void aBudgetForTwoRunsTwoOfFiveHoldsThreeInOrderAndARaiseAdmitsThem() throws Exception {
        int estimate = api.json("POST", "/estimate", "{\"video\":{\"key\":\"" + KEY + "\"},\"request\":" + REQUEST + "}")
                .path("creativeUnits").asInt();
        assertThat(estimate).isPositive();
        pipeline.budget(Optional.of(new Budget(2L * estimate + estimate / 2, BudgetPeriod.DAY))); // two fit, a third does not
        int uploadsBefore = pipeline.simulator().count(Route.CREATE_UPLOAD);
        int scenarioJobsBefore = pipeline.simulator().jobsCreated();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.create(KEY, REQUEST));
        }
        for (String held : ids.subList(2, 5)) {
            JsonNode job = api.job(held);
            assertThat(job.path("status").asText()).as(held).isEqualTo("WAITING_FOR_BUDGET");
            assertThat(job.path("queuePosition").asInt()).as(held).isEqualTo(ids.indexOf(held) - 1);
            assertThat(job.path("billing").path("estimate").asInt()).isEqualTo(estimate);
        }
        assertThat(api.job(ids.get(2)).path("waitingReason").asText()).contains("does not fit").contains("estimate of " + estimate);
        assertThat(api.job(ids.get(4)).path("waitingReason").asText()).contains("behind job " + ids.get(2));
        assertThat(api.json("GET", "/jobs?status=WAITING_FOR_BUDGET&limit=10", null).path("jobs").findValuesAsText("jobId"))
                .containsExactlyElementsOf(ids.subList(2, 5)); // queue order

        // the first two run to the end meanwhile; their ends settle, and still the third does not fit
        api.awaitStatus(ids.get(0), "SUCCEEDED", Duration.ofMinutes(2));
        api.awaitStatus(ids.get(1), "SUCCEEDED", Duration.ofMinutes(2));
        for (String held : ids.subList(2, 5)) {
            assertThat(record(held).status()).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
            assertThat(record(held).executionArn()).as("no execution for " + held).isNull();
        }
        assertThat(pipeline.simulator().count(Route.CREATE_UPLOAD) - uploadsBefore).isEqualTo(2); // nothing sent for the others
        assertThat(pipeline.simulator().jobsCreated() - scenarioJobsBefore).isEqualTo(2);
        String today = record(ids.get(0)).billing().budgetPeriod();
        assertThat(today).isEqualTo(BudgetPeriod.DAY.of(Instant.now()));
        int billedSoFar = record(ids.get(0)).billing().billed() + record(ids.get(1)).billing().billed();
        assertThat(pipeline.services().budgets().ledger().books(today)).isEqualTo(new BudgetLedger.Books(today, billedSoFar, 0, 0));

        // raising the budget (as a new BUDGET_CREATIVE_UNITS would) admits at the next dispatch (the sweep's here), in order:
        // room for one more admits the head only
        pipeline.budget(Optional.of(new Budget(billedSoFar + estimate + estimate / 2, BudgetPeriod.DAY)));
        pipeline.sweep();
        api.await(ids.get(2), j -> !j.path("status").asText().startsWith("WAITING"), Duration.ofMinutes(1));
        assertThat(record(ids.get(3)).status()).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(record(ids.get(4)).status()).isEqualTo(JobStatus.WAITING_FOR_BUDGET);
        assertThat(api.job(ids.get(3)).path("queuePosition").asInt()).isEqualTo(1);
        // room for all: the other two
        pipeline.budget(Optional.of(new Budget(billedSoFar + 3L * estimate, BudgetPeriod.DAY)));
        pipeline.sweep();
        for (String id : ids) {
            api.awaitStatus(id, "SUCCEEDED", Duration.ofMinutes(2));
        }
        assertThat(admittedAt(ids.get(2))).isBefore(admittedAt(ids.get(3))).isBefore(admittedAt(ids.get(4)));
        for (String id : ids.subList(2, 5)) {
            assertThat(record(id).history()).extracting(Job.StatusChange::status)
                    .containsSubsequence(JobStatus.WAITING_FOR_BUDGET, JobStatus.ADMITTED, JobStatus.UPLOADING, JobStatus.SUCCEEDED);
            assertThat(record(id).executionArn()).endsWith(":" + id); // one execution, started by the dispatch that admitted it
        }
        // the books balance: everything billed is spent, nothing is left reserved
        int billed = ids.stream().mapToInt(id -> record(id).billing().billed()).sum();
        assertThat(pipeline.services().budgets().ledger().books(today)).isEqualTo(new BudgetLedger.Books(today, billed, 0, 0));
    }
}
