package io.outpaint.local.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Node process that serves the Step Functions API and runs definitions with
 * aws-local-stepfunctions. One long-lived process for every execution.
 */
public final class StepFunctionsSidecar implements AutoCloseable {

    private final Process process;
    private final int port;
    /** Set by {@link #close()}: an exit after it was asked for. */
    private volatile boolean stopping;

    public StepFunctionsSidecar(Path sidecarDir, int port, String lambdaEndpoint, double timeScale, long dynamicWaitMillis)
            throws IOException {
        this(sidecarDir, port, lambdaEndpoint, timeScale, dynamicWaitMillis, null);
    }

    /**
     * @param statusChangeFunction the Lambda function that receives "Execution Status Change" events
     *     (FAILED, TIMED_OUT, ABORTED) as an EventBridge rule would deliver them; null for none
     */
    public StepFunctionsSidecar(Path sidecarDir, int port, String lambdaEndpoint, double timeScale, long dynamicWaitMillis,
                                String statusChangeFunction) throws IOException {
        Path script = sidecarDir.resolve("sidecar.mjs");
        if (!Files.isDirectory(sidecarDir.resolve("node_modules/aws-local-stepfunctions"))) {
            throw new IOException("the Step Functions sidecar's packages are not installed in " + sidecarDir
                    + "; build with Maven (it runs npm ci there) or run npm ci in that folder");
        }
        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).directory(sidecarDir.toFile());
        // the sidecar calls no Scenario API: keep the key and secret out of its environment
        builder.environment().remove("SCENARIO_API_KEY");
        builder.environment().remove("SCENARIO_API_SECRET");
        builder.environment().put("SFN_PORT", Integer.toString(port));
        builder.environment().put("SFN_TIME_SCALE", Double.toString(timeScale));
        builder.environment().put("SFN_DYNAMIC_WAIT_MILLIS", Long.toString(dynamicWaitMillis));
        builder.environment().put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint);
        if (statusChangeFunction != null) {
            builder.environment().put("SFN_STATUS_CHANGE_FUNCTION", statusChangeFunction);
        }
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("NODE_NO_WARNINGS", "1"); // the JS SDK's notice about future Node versions
        builder.environment().put("AWS_ACCESS_KEY_ID", "local");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        builder.redirectErrorStream(true);
        this.process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("LISTENING ")) {
                        return Integer.parseInt(line.substring("LISTENING ".length()).trim());
                    }
                    System.err.println("[sfn] " + line);
                }
            } catch (IOException e) {
                // the process ended; reported below
            }
            return -1;
        });
        try {
            this.port = listening.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("the Step Functions sidecar did not start within 30 s", e);
        }
        if (this.port < 0) {
            throw new IOException("the Step Functions sidecar exited at start (is Node 20 or newer installed?)");
        }
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.err.println("[sfn] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "sfn-sidecar-output");
        drain.setDaemon(true);
        drain.start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** True once the process has ended without {@link #close()} asking it to (killed, crashed). */
    public boolean diedUnasked() {
        return !stopping && !process.isAlive();
    }

    /** How it ended, for people: "node, pid 123, exit code 137"; "running" while it runs. */
    public String describeEnd() {
        return process.isAlive() ? "running" : "node, pid " + process.pid() + ", exit code " + process.exitValue();
    }

    /** True once the process has ended on SIGINT (exit code 130): a Ctrl-C reaches it with the JVM that runs it. */
    public boolean endedByInterrupt() {
        return !process.isAlive() && process.exitValue() == 130;
    }

    /** Ends the process at once, as a crash would: not a stop it was asked for. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Runs {@code then} as soon as the process ends, asked to or not. */
    public void onExit(Runnable then) {
        process.onExit().thenRun(then);
    }

    /** Scales static Wait and Retry intervals; dynamic waits ({@code SecondsPath}) take {@code dynamicWaitMillis}. */
    public void timeControl(double scale, long dynamicWaitMillis) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/_control/time"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"scale\":" + scale + ",\"dynamicWaitMillis\":" + dynamicWaitMillis + "}"))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("time control refused: " + answer.body());
        }
    }

    @Override
    public void close() {
        stopping = true;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
