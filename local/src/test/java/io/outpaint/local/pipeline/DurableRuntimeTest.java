package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.LocalSite;
import io.outpaint.local.ScenarioAccount;
import io.outpaint.simulator.ScenarioSimulator;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A runtime on a data dir, stopped mid-job and started again: the tables, objects and API key are
 * still there, and the job is taken up again against the same Scenario (a simulator outside the
 * runtime, reached as Scenario's API is), which sees one job only.
 */
class DurableRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private ScenarioSimulator scenario;

    @AfterEach
    void stop() {
        if (scenario != null) {
            scenario.close();
        }
    }

    @Test
    void aJobRunningWhenTheRuntimeStoppedIsResumedOnTheNextStartAndEndsWithOneScenarioJob() throws Exception {
        LocalSite site = siteWithScenario(Duration.ofSeconds(8));
        LocalPipeline.Settings settings = LocalPipeline.Settings.interactive().withoutUploadTrigger().withTime(0.01, 100);
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        ObjectNode request = (ObjectNode) JSON.readTree("{\"prompt\":\"a wider street\",\"resolution\":\"480p\"}");

        String apiKey;
        try (LocalPipeline first = LocalPipeline.start(settings, site)) {
            assertThat(first.usesSimulator()).isFalse();
            assertThat(first.scenarioDescription()).startsWith("the real Scenario API at " + scenario.apiUrl());
            try (var s3 = first.cloud().s3()) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/durable.mp4").contentType("video/mp4"),
                        RequestBody.fromFile(video));
            }
            first.start("durable-1", "inputs/durable.mp4", request);
            await(() -> scenario.jobsCreated() == 1, "Scenario to have the job");
            await(() -> first.services().jobs().get("durable-1").scenario().jobId() != null, "the Scenario job id recorded");
            apiKey = first.httpApi().apiKey();
        }
        assertThat(scenario.jobsRunning()).as("still running at Scenario when the runtime stopped").isEqualTo(1);

        try (LocalPipeline second = LocalPipeline.start(settings, site)) {
            assertThat(second.resumed()).containsExactly("durable-1");
            assertThat(second.httpApi().apiKey()).isEqualTo(apiKey);
            await(() -> second.services().jobs().get("durable-1").status().isTerminal(), "the resumed job to end");
            Job job = second.services().jobs().get("durable-1");
            assertThat(job.status()).as(job.toString()).isEqualTo(JobStatus.SUCCEEDED);
            try (var s3 = second.cloud().s3()) {
                assertThat(s3.headObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/durable.mp4")).contentLength())
                        .as("the input kept across the restart").isEqualTo(java.nio.file.Files.size(video));
                assertThat(s3.listObjectsV2(b -> b.bucket(LocalPipeline.BUCKET).prefix("outputs/durable-1/")).contents())
                        .as("outpaint.mp4, raw.mp4, poster.jpg").hasSize(3);
            }
        }
        assertThat(scenario.jobsCreated()).as("no second Scenario job after the restart").isEqualTo(1);
    }

    @Test
    void aJobStoppedBeforeScenarioHadItRestartsFromItsFirstStepAndMakesOneScenarioJob() throws Exception {
        LocalSite site = siteWithScenario(Duration.ofSeconds(1));
        LocalPipeline.Settings settings = LocalPipeline.Settings.interactive().withoutUploadTrigger().withTime(0.01, 100);
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        ObjectNode request = (ObjectNode) JSON.readTree("{\"prompt\":\"a wider street\",\"resolution\":\"480p\"}");

        scenario.faults().latency(Duration.ofSeconds(3)); // the upload to Scenario is under way when the runtime stops
        try (LocalPipeline first = LocalPipeline.start(settings, site)) {
            try (var s3 = first.cloud().s3()) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/early.mp4").contentType("video/mp4"),
                        RequestBody.fromFile(video));
            }
            first.start("early-1", "inputs/early.mp4", request);
            await(() -> first.services().jobs().find("early-1").map(j -> j.status() == JobStatus.UPLOADING).orElse(false),
                    "the upload to start");
        }
        assertThat(scenario.jobsCreated()).as("Scenario had no job when the runtime stopped").isZero();
        scenario.faults().latency(Duration.ZERO);

        try (LocalPipeline second = LocalPipeline.start(settings, site)) {
            assertThat(second.resumed()).containsExactly("early-1");
            await(() -> second.services().jobs().get("early-1").status().isTerminal(), "the resumed job to end");
            Job job = second.services().jobs().get("early-1");
            assertThat(job.status()).as(job.toString()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.executionArn()).endsWith(":early-1-r2");
            assertThat(job.history()).extracting(Job.StatusChange::status).containsSubsequence(JobStatus.UPLOADING, JobStatus.SUBMITTED);
        }
        assertThat(scenario.jobsCreated()).as("one Scenario job").isEqualTo(1);
    }

    /** A data dir and a Scenario outside the runtime (a simulator reached as Scenario's API is), whose jobs take {@code jobLength}. */
    private LocalSite siteWithScenario(Duration jobLength) {
        scenario = ScenarioSimulator.start(ScenarioSimulator.Settings.defaults().withJobDuration(jobLength));
        Optional<ScenarioAccount> account = ScenarioAccount.fromEnvironment(
                Map.of("SCENARIO_API_KEY", scenario.apiKey(), "SCENARIO_API_SECRET", scenario.apiSecret()),
                Optional.of(scenario.apiUrl()));
        return LocalSite.ephemeral().withScenario(account).withDataDir(dir.resolve("data"));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 90 s for " + what).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
