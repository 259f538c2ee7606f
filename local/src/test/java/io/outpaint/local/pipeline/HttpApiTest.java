package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import io.outpaint.simulator.video.Mp4Video;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The HTTP API as a client uses it: every route and every error code, over the local API server. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPipeline pipeline;
    private static Path video;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withLimit(4)
                .withJobDuration(Duration.ofMillis(800)));
        video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/api/clip.mp4").contentType("video/mp4"), RequestBody.fromFile(video));
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/api/notes.txt").contentType("text/plain"), RequestBody.fromString("text"));
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key("inputs/api/notes.mp4").contentType("video/mp4"),
                    RequestBody.fromString("a text file, named and typed as a video"));
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + path))
                .header("x-api-key", pipeline.httpApi().apiKey())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitNothingInFlight() throws InterruptedException {
        QueueDrain.await(pipeline, java.time.Duration.ofSeconds(120));
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body());
    }

    private static JsonNode awaitStatus(String jobId, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = json(call("GET", "/jobs/" + jobId, null));
            if (job.path("status").asText().equals(status)) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " never reached " + status + ": " + job);
    }

    private static void assertError(HttpResponse<String> answer, int status, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = json(answer).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("fields").isArray()).isTrue();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("io.outpaint").doesNotContain("\tat ");
    }

    @Test
    void createsAJobFromAKeyAndShowsItsOutputsWithDownloadUrls() throws Exception {
        HttpResponse<String> created = call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String jobId = json(created).path("jobId").asText();
        assertThat(json(created).path("links").path("self").asText()).isEqualTo("/jobs/" + jobId);
        JsonNode done = awaitStatus(jobId, "SUCCEEDED");
        assertThat(done.path("history").size()).isGreaterThanOrEqualTo(6);
        assertThat(done.path("request").path("numFrames").asInt()).isEqualTo(81);
        assertThat(done.path("input").path("name").asText()).isEqualTo("clip.mp4");
        JsonNode output = done.path("outputs").get(0);
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(output.path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat((long) download.body().length).isEqualTo(output.path("bytes").asLong());
    }

    @Test
    void handsOutAnUploadUrlAndStartsTheJobWhenTheUploadLands() throws Exception {
        HttpResponse<String> created = call("POST", "/jobs",
                "{\"video\":{\"upload\":{\"fileName\":\"mine.mp4\",\"contentType\":\"video/mp4\"}},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode job = json(created);
        assertThat(job.path("status").asText()).isEqualTo("QUEUED");
        JsonNode upload = job.path("upload");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        awaitStatus(job.path("jobId").asText(), "SUCCEEDED");
    }

    @Test
    void anUploadOfTextNamedAndTypedAsAVideoFailsNamingItsContainerAndNeverReachesScenario() throws Exception {
        awaitNothingInFlight(); // another test's job uploading meanwhile would count as ours
        int uploads = pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD);
        HttpResponse<String> created = call("POST", "/jobs",
                "{\"video\":{\"upload\":{\"fileName\":\"text.mp4\",\"contentType\":\"video/mp4\"}},\"request\":{\"prompt\":\"p\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode job = json(created);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(job.path("upload").path("url").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofString("a text file, named and typed as a video"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode failed = awaitStatus(job.path("jobId").asText(), "FAILED");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("INVALID_INPUT");
        assertThat(failed.path("error").path("message").asText())
                .contains("inputs/" + job.path("jobId").asText() + "/text.mp4").contains("is not a video").contains("MP4 or WebM");
        assertThat(pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD)).isEqualTo(uploads);
        // refused when its upload landed: it never joined the queue nor took a slot
        assertThat(failed.path("history").findValuesAsText("status")).doesNotContain("WAITING_FOR_SLOT", "ADMITTED");
    }

    @Test
    void aJobKeepsTheNameItsClientGaveItsFileAndRefusesOneThatIsNotText() throws Exception {
        HttpResponse<String> created = call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/clip.mp4\",\"name\":\"Harbour at dusk (2).mp4\"},"
                + "\"request\":{\"prompt\":\"named\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(json(created).path("input").path("name").asText()).isEqualTo("Harbour at dusk (2).mp4");
        assertThat(json(call("GET", "/jobs/" + json(created).path("jobId").asText(), null)).path("input").path("name").asText())
                .isEqualTo("Harbour at dusk (2).mp4");
        HttpResponse<String> refused = call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/clip.mp4\",\"name\":\"a\\nb.mp4\"},"
                + "\"request\":{\"prompt\":\"named\"}}");
        assertError(refused, 400, "INVALID_REQUEST");
        assertThat(json(refused).path("error").path("fields").get(0).path("field").asText()).isEqualTo("video.name");
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameJobAnotherBodyIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"prompt\":\"idempotent\"}}";
        String first = json(call("POST", "/jobs", body, "Idempotency-Key", key)).path("jobId").asText();
        HttpResponse<String> again = call("POST", "/jobs", body, "Idempotency-Key", key);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("jobId").asText()).isEqualTo(first);
        assertError(call("POST", "/jobs", body.replace("idempotent", "other"), "Idempotency-Key", key), 422, "IDEMPOTENCY_KEY_REUSED");
        long executions = pipeline.cloud().stepFunctions().listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn()))
                .executions().stream().filter(e -> e.name().equals(first)).count();
        assertThat(executions).isEqualTo(1);
    }

    @Test
    void listsJobsNewestFirstPageByPageAndByStatus() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(json(call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"prompt\":\"list " + i + "\"}}"))
                    .path("jobId").asText());
            Thread.sleep(5);
        }
        JsonNode page = json(call("GET", "/jobs?limit=2", null));
        assertThat(page.path("jobs").get(0).path("jobId").asText()).isEqualTo(ids.get(2));
        // what tells the jobs apart comes with each: the input's name (its key's last part here) and the request's prompt
        assertThat(page.path("jobs").get(0).path("input").path("name").asText()).isEqualTo("clip.mp4");
        assertThat(page.path("jobs").get(0).path("request").path("prompt").asText()).isEqualTo("list 2");
        assertThat(page.path("jobs").get(1).path("jobId").asText()).isEqualTo(ids.get(1));
        String token = page.path("nextToken").asText();
        JsonNode next = json(call("GET", "/jobs?limit=2&nextToken=" + token, null));
        assertThat(next.path("jobs").get(0).path("jobId").asText()).isEqualTo(ids.get(0));
        for (String id : ids) {
            awaitStatus(id, "SUCCEEDED");
        }
        JsonNode succeeded = json(call("GET", "/jobs?status=SUCCEEDED&limit=100", null));
        assertThat(succeeded.path("jobs").findValuesAsText("jobId")).containsAll(ids);
        // each listed result comes with its download URL, as GET /jobs/{id} gives it
        for (JsonNode listed : succeeded.path("jobs")) {
            if (listed.path("jobId").asText().equals(ids.get(0))) {
                JsonNode output = listed.path("outputs").get(0);
                HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(output.path("url").asText())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(download.statusCode()).isEqualTo(200);
                assertThat((long) download.body().length).isEqualTo(output.path("bytes").asLong());
            }
        }
        assertThat(succeeded.path("jobs").findValues("outputs")).hasSizeGreaterThanOrEqualTo(ids.size());
        assertError(call("GET", "/jobs?status=DONE", null), 400, "INVALID_REQUEST");
        assertThat(json(call("GET", "/jobs?status=DONE", null)).path("error").path("message").asText()).contains("SUCCEEDED, FAILED");
        assertError(call("GET", "/jobs?limit=0", null), 400, "INVALID_REQUEST");
        assertError(call("GET", "/jobs?nextToken=forged", null), 400, "INVALID_NEXT_TOKEN");
    }

    @Test
    void cancelsARunningJobAndSaysScenarioMayStillBill() throws Exception {
        pipeline.simulator().jobDuration(Duration.ofSeconds(60));
        try {
            String jobId = json(call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"prompt\":\"cancel me\"}}"))
                    .path("jobId").asText();
            awaitStatus(jobId, "SUBMITTED");
            HttpResponse<String> canceled = call("POST", "/jobs/" + jobId + "/cancel", null);
            assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
            assertThat(json(canceled).path("status").asText()).isEqualTo("CANCELED");
            assertThat(json(canceled).path("note").asText()).contains("may still finish and be billed");
            String arn = pipeline.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + jobId;
            assertThat(pipeline.cloud().stepFunctions().describeExecution(b -> b.executionArn(arn)).statusAsString()).isEqualTo("ABORTED");
            assertThat(pipeline.services().slots().holders()).doesNotContain(jobId);
            assertError(call("POST", "/jobs/" + jobId + "/cancel", null), 409, "ALREADY_ENDED");
        } finally {
            pipeline.simulator().jobDuration(Duration.ofMillis(800));
        }
    }

    @Test
    void estimatesTheCostWithoutStartingAnything() throws Exception {
        awaitNothingInFlight(); // jobs of other tests admitted meanwhile would count as started
        int jobs = pipeline.simulator().jobsCreated();
        HttpResponse<String> estimate = call("POST", "/estimate", "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"prompt\":\"p\",\"resolution\":\"480p\"}}");
        assertThat(estimate.statusCode()).as(estimate.body()).isEqualTo(200);
        assertThat(json(estimate).path("creativeUnits").asInt()).isPositive();
        // 16 frames at 8 fps fit one generation: one segment, its whole range
        assertThat(json(estimate).path("segments").path("count").asInt()).isEqualTo(1);
        assertThat(json(estimate).path("segments").path("each").get(0).path("endFrame").asInt()).isEqualTo(16);
        assertThat(pipeline.simulator().jobsCreated()).isEqualTo(jobs);
        pipeline.simulator().faults().nextRateLimits(20).retryAfterSeconds(30);
        try {
            // a shape no other test prices: only a dry run can answer it, and Scenario is limiting requests
            assertError(call("POST", "/estimate", "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"prompt\":\"p\",\"numInferenceSteps\":7}}"),
                    429, "SCENARIO_BUSY");
        } finally {
            pipeline.simulator().faults().clear();
        }
    }

    @Test
    void answersEachKindOfBadRequestWithItsStatusAndATypedBody() throws Exception {
        HttpResponse<String> invalid = call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/clip.mp4\"},\"request\":{\"numFrames\":9}}");
        assertError(invalid, 400, "INVALID_REQUEST");
        assertThat(json(invalid).path("error").path("fields").findValuesAsText("field")).contains("request.prompt", "request.numFrames");
        assertError(call("POST", "/jobs", "{not json"), 400, "INVALID_JSON");
        assertError(call("POST", "/jobs", "{\"video\":{\"key\":\"../etc/passwd\"},\"request\":{\"prompt\":\"p\"}}"), 400, "INVALID_REQUEST");
        assertError(call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/notes.txt\"},\"request\":{\"prompt\":\"p\"}}"), 422, "INVALID_INPUT");
        int uploads = pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD);
        HttpResponse<String> notAVideo = call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/notes.mp4\"},\"request\":{\"prompt\":\"p\"}}");
        assertError(notAVideo, 422, "INVALID_INPUT");
        assertThat(json(notAVideo).path("error").path("message").asText())
                .startsWith("video.key: inputs/api/notes.mp4 in bucket outpaint-local is not a video: its first bytes are");
        HttpResponse<String> missing = call("POST", "/jobs", "{\"video\":{\"key\":\"inputs/api/missing.mp4\"},\"request\":{\"prompt\":\"p\"}}");
        assertError(missing, 422, "INVALID_INPUT");
        assertThat(json(missing).path("error").path("message").asText()).isEqualTo("video.key: no object inputs/api/missing.mp4 in bucket outpaint-local");
        assertThat(json(missing).path("error").path("fields").get(0).path("field").asText()).isEqualTo("video.key");
        assertThat(json(missing).path("error").path("fields").get(0).path("message").asText())
                .isEqualTo("video.key: no object inputs/api/missing.mp4 in bucket outpaint-local");
        assertThat(pipeline.simulator().count(io.outpaint.simulator.Route.CREATE_UPLOAD)).isEqualTo(uploads); // nothing sent to Scenario
        assertError(call("GET", "/jobs/api-nosuchjob", null), 404, "NOT_FOUND");
        assertError(call("GET", "/nothing", null), 404, "NOT_FOUND");
        HttpResponse<String> delete = call("DELETE", "/jobs", null);
        assertError(delete, 405, "METHOD_NOT_ALLOWED");
        assertThat(delete.headers().firstValue("Allow")).contains("GET, POST");
        assertError(call("POST", "/jobs", "{\"request\":{\"prompt\":\"" + "x".repeat(70_000) + "\"}}"), 413, "BODY_TOO_LARGE");
        assertError(call("POST", "/jobs", "prompt=p", "Content-Type", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
        HttpResponse<String> noKey = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + "/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
    }
}
