package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.aws.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packaged {@code target/outpaint.jar} run as its own processes, as the outside tests drive it: started with or
 * without Scenario credentials in the environment and its output in a log, waited on while it stays alive, its
 * runtime JVM or sidecar found and killed outright, and everything it started stopped after each test. Registered
 * with {@code @RegisterExtension}; {@code patience} bounds each wait but a job's, which gets {@link #JOB_PATIENCE}.
 */
final class JarProcesses implements AfterEachCallback {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The simulator's own credentials, given to serve as a real key would be. */
    static final String KEY = "sim-key";
    static final String SECRET = "sim-secret";
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    static final List<String> ENDED = List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELED");
    static final Duration JOB_PATIENCE = Duration.ofSeconds(240);

    private final Duration patience;
    private final Duration stopGrace;
    private final List<Process> processes = new ArrayList<>();
    private final List<ProcessHandle> strays = new ArrayList<>();

    /** Waits of at most {@code patience}; after each test, each process is given {@code stopGrace} to stop. */
    JarProcesses(Duration patience, Duration stopGrace) {
        this.patience = patience;
        this.stopGrace = stopGrace;
    }

    /** {@code java -jar target/outpaint.jar args...}, its output in {@code log}; the Scenario key and secret in its
     * environment only when {@code withCredentials}. */
    Process start(Path log, boolean withCredentials, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", Path.of("target", "outpaint.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SCENARIO_API_KEY");
        builder.environment().remove("SCENARIO_API_SECRET");
        if (withCredentials) {
            builder.environment().put("SCENARIO_API_KEY", KEY);
            builder.environment().put("SCENARIO_API_SECRET", SECRET);
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** A standalone simulator on a free port, once it answers; the Scenario URL to give serve. */
    String startSimulator(Path log, int jobSeconds) throws Exception {
        int port = Ports.free();
        String scenarioUrl = "http://127.0.0.1:" + port + "/v1";
        Process simulator = start(log, false, "simulator", "--port", Integer.toString(port), "--job-seconds", Integer.toString(jobSeconds));
        awaitTrue(() -> scenarioJobs(scenarioUrl) != null, simulator, log, "the simulator to listen");
        return scenarioUrl;
    }

    /** A process to kill outright after the test though it may no longer descend from one started here. */
    void alsoStop(ProcessHandle stray) {
        strays.add(stray);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Process p : processes) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            if (!p.waitFor(stopGrace.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
        strays.forEach(ProcessHandle::destroyForcibly);
    }

    /** The endpoints file serve writes once it is up, read; serve must stay up meanwhile. */
    JsonNode awaitEndpoints(Process serve, Path file, Path log) throws Exception {
        awaitTrue(() -> Files.exists(file), serve, log, "serve to come up");
        return JSON.readTree(file.toFile());
    }

    /** The job's record once it has ended; serve must stay up meanwhile. */
    JsonNode awaitEnded(String api, String apiKey, String jobId, Process serve, Path log) throws Exception {
        JsonNode[] job = new JsonNode[1];
        awaitTrue(() -> ENDED.contains((job[0] = json("GET", api + "/jobs/" + jobId, apiKey, null)).path("status").asText()),
                serve, log, "job " + jobId + " to end", JOB_PATIENCE);
        return job[0];
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} until it holds (an exception counts as not yet), failing with the log if the process
     * exits first or the patience runs out. */
    void awaitTrue(Check check, Process process, Path log, String what) throws Exception {
        awaitTrue(check, process, log, what, patience);
    }

    private static void awaitTrue(Check check, Process process, Path log, String what, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (!holds(check)) {
            assertThat(process.isAlive()).as("exited while waiting for " + what + ": " + Files.readString(log)).isTrue();
            assertThat(Instant.now()).as("waited " + within.toSeconds() + " s for " + what + ": " + Files.readString(log)).isBefore(deadline);
            Thread.sleep(250);
        }
    }

    private static boolean holds(Check check) {
        try {
            return check.holds();
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    /** Kills serve's runtime JVM (serve runs in a second one, C1Jvm) outright, as kill -9 does: no shutdown hook runs;
     * it and serve's launcher must be gone within {@code within}. */
    static ProcessHandle killRuntimeJvm(Process serve, Duration within) throws Exception {
        List<ProcessHandle> runtimes = serve.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
        assertThat(runtimes).as("serve's runtime JVM").hasSize(1);
        ProcessHandle runtime = runtimes.get(0);
        runtime.destroyForcibly();
        assertThat(runtime.onExit().completeOnTimeout(null, within.toSeconds(), TimeUnit.SECONDS).get()).isNotNull();
        assertThat(serve.waitFor(within.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return runtime;
    }

    /** Serve's Step Functions sidecars (node processes under it). */
    static List<ProcessHandle> sidecars(Process serve) {
        return serve.toHandle().descendants().filter(c -> c.info().command().orElse("").contains("node")).toList();
    }

    static ProcessHandle sidecar(Process serve) {
        return sidecars(serve).stream().findFirst().orElseThrow(() -> new AssertionError("serve runs no Step Functions sidecar"));
    }

    /** A call to serve's HTTP API with its API key; {@code headers} are name, value pairs. */
    static HttpResponse<String> call(String method, String url, String apiKey, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("x-api-key", apiKey)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String method, String url, String apiKey, String body) throws Exception {
        return JSON.readTree(call(method, url, apiKey, body).body());
    }

    /** PUTs {@code video} to an upload URL serve handed out, as any client does. */
    static void upload(String url, Path video) throws Exception {
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "video/mp4")
                .PUT(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    /** Scenario's job list as the simulator answers it; null while it does not answer. */
    static JsonNode scenarioJobs(String scenarioUrl) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(scenarioUrl + "/jobs?pageSize=200&hideResults=false"))
                    .header("Authorization", BASIC).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("jobs") : null;
        } catch (Exception e) {
            return null;
        }
    }
}
