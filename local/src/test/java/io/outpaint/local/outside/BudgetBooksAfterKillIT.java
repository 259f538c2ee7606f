package io.outpaint.local.outside;

import static io.outpaint.local.outside.JarProcesses.json;
import static io.outpaint.local.outside.JarProcesses.killRuntimeJvm;
import static io.outpaint.local.outside.JarProcesses.scenarioJobs;
import static io.outpaint.local.outside.JarProcesses.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.local.aws.Ports;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar: {@code serve --budget} is killed outright while two jobs hold
 * reservations (Scenario has their jobs) and a third waits, then started again on the same data dir. Every
 * job ends once, and the books balance: GET /usage's spent + reserved is the sum over the jobs of what they
 * were billed, nothing is left reserved, and each job is counted once.
 */
class BudgetBooksAfterKillIT {

    @TempDir Path dir;
    @RegisterExtension final JarProcesses jar = new JarProcesses(Duration.ofSeconds(240), Duration.ofSeconds(20));

    @Test
    void afterAKillWithReservationsOutstandingTheBooksBalanceAgainstTheJobs() throws Exception {
        String scenarioUrl = jar.startSimulator(dir.resolve("simulator.log"), 20);

        Path data = dir.resolve("data");
        int port = Ports.free();
        Process first = serve(data, port, scenarioUrl, dir.resolve("endpoints-1.json"), dir.resolve("serve-1.log"));
        JsonNode endpoints = jar.awaitEndpoints(first, dir.resolve("endpoints-1.json"), dir.resolve("serve-1.log"));
        String url = endpoints.path("httpApi").asText();
        String apiKey = endpoints.path("apiKey").asText();

        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 24, 12, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode created = json("POST", url + "/jobs", apiKey, "{\"video\":{\"upload\":{\"fileName\":\"clip-" + i + ".mp4\","
                    + "\"contentType\":\"video/mp4\"}},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}");
            ids.add(created.path("jobId").asText());
            upload(created.path("upload").path("url").asText(), video);
        }
        // two slots (the default): two jobs reach Scenario and hold their estimates; the third waits for a slot
        jar.awaitTrue(() -> scenarioJobs(scenarioUrl).size() == 2, first, dir.resolve("serve-1.log"), "Scenario to have two jobs");
        JsonNode before = json("GET", url + "/usage", apiKey, null);
        assertThat(before.path("jobsReserving").asInt()).as(before.toString()).isEqualTo(2);
        assertThat(before.path("reserved").asLong()).isPositive();
        assertThat(before.path("budget").asLong()).isEqualTo(1000);

        killRuntimeJvm(first, Duration.ofSeconds(30)); // kill -9: no settlement, no shutdown hook

        Process second = serve(data, port, scenarioUrl, dir.resolve("endpoints-2.json"), dir.resolve("serve-2.log"));
        jar.awaitEndpoints(second, dir.resolve("endpoints-2.json"), dir.resolve("serve-2.log"));
        long billed = 0;
        for (String id : ids) {
            JsonNode job = jar.awaitEnded(url, apiKey, id, second, dir.resolve("serve-2.log"));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.path("billing").path("budgetPeriod").asText()).isEqualTo(before.path("period").asText());
            billed += job.path("billing").path("billed").asLong();
        }
        assertThat(billed).isPositive();
        assertThat(scenarioJobs(scenarioUrl)).as("one Scenario job a job, none again after the restart").hasSize(3);

        JsonNode after = json("GET", url + "/usage?period=" + before.path("period").asText(), apiKey, null);
        assertThat(after.path("spent").asLong() + after.path("reserved").asLong()).as(after.toString()).isEqualTo(billed);
        assertThat(after.path("reserved").asLong()).isZero();
        assertThat(after.path("jobsReserving").asInt()).isZero();
        assertThat(after.path("jobs").asInt()).isEqualTo(3);
        assertThat(after.path("remaining").asLong()).isEqualTo(1000 - billed);
        assertThat(after.path("byDay").findValues("spent").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(billed);
    }

    private Process serve(Path data, int port, String scenarioUrl, Path endpoints, Path log) throws Exception {
        return jar.start(log, true, "serve", "--data-dir", data.toString(), "--port", Integer.toString(port),
                "--scenario-url", scenarioUrl, "--endpoints-file", endpoints.toString(), "--budget", "1000", "--budget-period", "month");
    }
}
