package io.outpaint.local.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** A client of the local HTTP API as tests use it: calls with the API key, JSON answers, waiting for a status. */
public final class ApiCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LocalPipeline pipeline;

    public ApiCalls(LocalPipeline pipeline) {
        this.pipeline = pipeline;
    }

    public HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
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

    public JsonNode json(String method, String path, String body, String... headers) throws Exception {
        return JSON.readTree(call(method, path, body, headers).body());
    }

    /** Creates a job on an object already under inputs/; its id. */
    public String create(String key, String requestJson) throws Exception {
        HttpResponse<String> answer = call("POST", "/jobs", "{\"video\":{\"key\":\"" + key + "\"},\"request\":" + requestJson + "}");
        if (answer.statusCode() != 202) {
            throw new AssertionError("POST /jobs answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body()).path("jobId").asText();
    }

    public JsonNode job(String jobId) throws Exception {
        return json("GET", "/jobs/" + jobId, null);
    }

    /** The job once {@code until} holds, polled every 100 ms for at most {@code within}. */
    public JsonNode await(String jobId, Predicate<JsonNode> until, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = job(jobId);
            if (until.test(job)) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " never got there: " + job);
    }

    public JsonNode awaitStatus(String jobId, String status, Duration within) throws Exception {
        return await(jobId, j -> j.path("status").asText().equals(status), within);
    }
}
