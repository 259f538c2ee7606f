package io.outpaint.local.outside;

import static io.outpaint.local.outside.JarProcesses.HTTP;
import static io.outpaint.local.outside.JarProcesses.json;
import static io.outpaint.local.outside.JarProcesses.killRuntimeJvm;
import static io.outpaint.local.outside.JarProcesses.scenarioJobs;
import static io.outpaint.local.outside.JarProcesses.upload;
import static io.outpaint.local.testing.VideoChecks.calmClip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.local.aws.Ports;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.MediaInfo;
import io.outpaint.media.finish.MediaProbe;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside, against the packaged jar at a limit of one slot: a clip of three segments is under way, the first
 * segment has succeeded and the second is generating, when {@code serve}'s runtime is killed outright; {@code serve}
 * started again on the same data dir resumes it, and the clip ends SUCCEEDED with every frame of the input, each of
 * its segments sent to Scenario exactly once (the standalone simulator, which outlives serve, keeps every job it
 * was given: each is named by exactly one segment's record, and each segment by one of them).
 */
class SegmentsResumeAfterKillIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir Path dir;
    @RegisterExtension final JarProcesses jar = new JarProcesses(Duration.ofSeconds(150), Duration.ofSeconds(20));

    @Test
    void aLongClipWhoseServeWasKilledBetweenSegmentsEndsWholeWithOneScenarioJobPerSegment() throws Exception {
        String scenarioUrl = jar.startSimulator(dir.resolve("simulator.log"), 6);
        Path data = dir.resolve("data");
        int port = Ports.free();
        Path firstLog = dir.resolve("serve-1.log");
        Process first = serve(data, port, scenarioUrl, dir.resolve("endpoints-1.json"), firstLog);
        JsonNode endpoints = jar.awaitEndpoints(first, dir.resolve("endpoints-1.json"), firstLog);
        String api = endpoints.path("httpApi").asText();
        String apiKey = endpoints.path("apiKey").asText();

        // 32 s: more than two generations of at most 241 frames at 16 fps, so three segments; at 8 fps, a third of the
        // frames it would have at 24 to cut, finish and join (the segments are planned in seconds)
        Path clip = calmClip(dir.resolve("long.mp4"), 32, 8);
        JsonNode created = json("POST", api + "/jobs", apiKey, "{\"video\":{\"upload\":{\"fileName\":\"long.mp4\","
                + "\"contentType\":\"video/mp4\"}},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"16:9\"}}}");
        String parentId = created.path("jobId").asText();
        assertThat(parentId).as(created.toString()).isNotBlank();
        upload(created.path("upload").path("url").asText(), clip);

        // mid-way: the first segment done, the second at Scenario (its job generating), the third waiting for the slot
        JsonNode[] midway = new JsonNode[1];
        jar.awaitTrue(() -> {
            JsonNode items = (midway[0] = json("GET", api + "/jobs/" + parentId, apiKey, null)).path("segments").path("items");
            return items.size() == 3 && items.get(0).path("status").asText().equals("SUCCEEDED")
                    && List.of("SUBMITTED", "RUNNING").contains(items.get(1).path("status").asText());
        }, first, firstLog, "the first segment to succeed and the second to be generating");
        assertThat(midway[0].path("segments").path("items").get(2).path("status").asText()).as(midway[0].toString())
                .isIn("QUEUED", "WAITING_FOR_SLOT");
        assertThat(scenarioJobs(scenarioUrl)).as("Scenario has the first two segments' jobs").hasSize(2);
        killRuntimeJvm(first, WITHIN); // kill -9: no shutdown hook, executions die mid-state

        Path secondLog = dir.resolve("serve-2.log");
        Process second = serve(data, port, scenarioUrl, dir.resolve("endpoints-2.json"), secondLog);
        jar.awaitEndpoints(second, dir.resolve("endpoints-2.json"), secondLog);
        JsonNode parent = jar.awaitEnded(api, apiKey, parentId, second, secondLog);
        assertThat(parent.path("status").asText()).as(parent.toString()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(secondLog)).as("the second serve resumed what the first left").contains("Resumed");

        // each segment once at Scenario: the simulator's jobs and the segments' records name each other one to one
        List<String> segmentIds = new ArrayList<>();
        Map<String, Integer> scenarioJobsPerSegment = new HashMap<>();
        for (JsonNode item : parent.path("segments").path("items")) {
            assertThat(item.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(item.path("attempt").asInt()).as("no segment failed and was generated again").isEqualTo(1);
            segmentIds.add(item.path("jobId").asText());
        }
        assertThat(segmentIds).hasSize(3);
        JsonNode sent = scenarioJobs(scenarioUrl);
        for (String segmentId : segmentIds) {
            String named = json("GET", api + "/jobs/" + segmentId, apiKey, null).path("scenario").path("jobId").asText();
            scenarioJobsPerSegment.put(segmentId, (int) StreamSupport.stream(sent.spliterator(), false)
                    .filter(j -> j.path("jobId").asText().equals(named)).count());
        }
        assertThat(scenarioJobsPerSegment).as("Scenario jobs per segment").containsOnlyKeys(segmentIds).allSatisfy((id, n) ->
                assertThat(n).as(id).isEqualTo(1));
        assertThat(sent).as("no Scenario job beyond the segments' own: %s", sent).hasSize(segmentIds.size());

        // the output: every frame of the input, at its rate
        JsonNode video = parent.path("outputs").get(0);
        assertThat(video.path("key").asText()).isEqualTo("outputs/" + parentId + "/outpaint.mp4");
        Path result = dir.resolve("result.mp4");
        HttpResponse<Path> download = HTTP.send(HttpRequest.newBuilder(URI.create(video.path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofFile(result));
        assertThat(download.statusCode()).isEqualTo(200);
        MediaProbe probe = MediaProbe.using(FfmpegPrograms.locate(), Duration.ofMinutes(1));
        MediaInfo in = probe.probe(clip);
        MediaInfo out = probe.probe(result);
        assertThat(in.frames()).isEqualTo(32 * 8);
        assertThat(out.frames()).isEqualTo(in.frames());
        assertThat(out.fps()).isEqualTo(in.fps());
    }

    private Process serve(Path data, int port, String scenarioUrl, Path endpoints, Path log) throws Exception {
        return jar.start(log, true, "serve", "--data-dir", data.toString(), "--port", Integer.toString(port),
                "--scenario-url", scenarioUrl, "--endpoints-file", endpoints.toString(), "--max-jobs", "1");
    }
}
