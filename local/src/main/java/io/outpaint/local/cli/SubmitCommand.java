package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.media.InvalidInputException;
import io.outpaint.media.VideoProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Starts a job on a local video file (uploaded first) or on a video already in the bucket (a key under inputs/).")
final class SubmitCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;
    @Mixin ClientCommands.Endpoint endpoint;
    @Parameters(paramLabel = "FILE|KEY", description = "A local MP4 or WebM file, or the key of a video in the bucket, e.g. inputs/street.mp4.")
    String video;
    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Makes a retried submit return the same job.") String idempotencyKey;
    @Option(names = "--webhook-url", paramLabel = "URL", description = "Gets the final record by POST, signed.") String webhookUrl;
    @Option(names = "--wait", description = "Follow the job with a progress bar until it ends (exit 1 unless it succeeds).") boolean await;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE|FOLDER",
            description = "With --wait: save the result here once the job SUCCEEDED: a file, or a folder (one that exists, or any "
                    + "ending in /); its folder is created (default: not saved).")
    String output;
    @Option(names = "--force", description = "Replace the file -o names if it exists (without it, that is refused).") boolean force;
    @Option(names = "--timeout-seconds", defaultValue = "3600", paramLabel = "N", description = "With --wait: stop waiting after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (output != null && !await) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-o needs --wait; without it, 'outpaint wait JOB_ID -o FILE' saves the result later");
        }
        Optional<ResultFile> result = Optional.ofNullable(output).map(o -> ResultFile.forOption(spec.commandLine(), o, force));
        ObjectNode body = JSON.createObjectNode();
        Path file = Path.of(video);
        VideoProbe.Video probed = null;
        if (Files.isRegularFile(file)) {
            probed = probe(spec, file);
            String base = file.getFileName().toString().replaceAll("\\.[A-Za-z0-9]{1,5}$", "").replaceAll("[^A-Za-z0-9._-]", "_");
            ObjectNode source = body.putObject("video");
            source.putObject("upload").put("fileName", (base.isEmpty() ? "video" : base) + "." + probed.container().extension())
                    .put("contentType", probed.container().mediaType());
            // the name as the user knows it (the upload's is reduced to the characters a key takes): what lists show
            String name = file.getFileName().toString();
            if (name.length() <= 200 && name.codePoints().noneMatch(Character::isISOControl)) {
                source.put("name", name);
            }
        } else if (video.startsWith("inputs/")) {
            body.putObject("video").put("key", video);
        } else {
            throw notFileOrKey(spec, video);
        }
        body.set("request", ClientCommands.request(spec).toJson());
        if (webhookUrl != null) {
            body.putObject("notify").put("webhookUrl", webhookUrl);
        }
        ApiClient api = endpoint.client();
        ApiClient.Answer created = api.post("/jobs", body, idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        if (!created.ok()) {
            return ClientCommands.print(created);
        }
        JsonNode answer = created.body();
        String jobId = answer.path("jobId").asText();
        // no upload in the answer: the Idempotency-Key named a job created earlier, whose video was uploaded then
        boolean existing = probed != null && !answer.has("upload");
        if (probed != null && !existing) {
            upload(uploadUrl(answer), file, probed.container().mediaType());
        }
        String already = "Job " + jobId + " already exists (created " + answer.path("createdAt").asText("earlier")
                + " with this idempotency key); the video was not uploaded again";
        if (!await) {
            if (probed == null) {
                return ClientCommands.print(created);
            }
            // the API's answer is stale once the video is up (QUEUED, an upload note) and its URL is a credential: not shown
            if (existing) {
                Outpaint.out.println(already);
                Outpaint.out.println("Job " + jobId + ": " + JobFollower.describe(answer)
                        + (answer.path("status").asText().equals("QUEUED") ? " (it starts when its upload lands; if that upload"
                        + " never finished, submit with a new --idempotency-key)" : ""));
            } else {
                Outpaint.out.println("Job " + jobId + " created: uploaded, starting");
            }
            Outpaint.out.println(answer.path("status").asText().equals("SUCCEEDED") ? "'outpaint get " + jobId + "' downloads the result"
                    : "'outpaint wait " + jobId + " -o FILE' follows it and saves the result; 'outpaint status " + jobId + "' shows it now");
            return 0;
        }
        Outpaint.out.println((existing ? already : "Job " + jobId + " created") + "; following it (Ctrl-C stops following, not the job)");
        JsonNode job;
        try (StopNotice stop = new StopNotice("submit", () -> JobFollower.stoppedFollowing(jobId))) {
            job = new JobFollower(api, Outpaint.out).follow(jobId, timeoutSeconds, JobFollower.goesOn(jobId));
        }
        return JobResult.finish(spec, job, result);
    }

    /** A local video's headers, read here (nothing is sent); a usage error naming FILE when it is not an MP4 or WebM. */
    static VideoProbe.Video probe(CommandSpec spec, Path file) {
        try {
            return VideoProbe.probe(file);
        } catch (InvalidInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE: " + e.getMessage() + "; allowed: an MP4 or WebM video");
        }
    }

    /** The usage error for a FILE|KEY that is neither. */
    static CommandLine.ParameterException notFileOrKey(CommandSpec spec, String video) {
        return new CommandLine.ParameterException(spec.commandLine(), "FILE|KEY: " + video
                + " is neither a local file nor a key under inputs/; allowed: a local MP4 or WebM file, or inputs/<name>");
    }

    /** The presigned PUT URL in the API's answer, checked where it enters. */
    private static URI uploadUrl(JsonNode answer) {
        String url = answer.path("upload").path("url").asText("");
        try {
            if (url.matches("https?://[^\\s]+")) {
                return URI.create(url);
            }
        } catch (IllegalArgumentException e) {
            // said below, without the URL: it carries a signature
        }
        throw new CommandFailure("the API's answer has no usable upload.url (allowed: an http:// or https:// URL)");
    }

    private static void upload(URI url, Path file, String type) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(url)
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() / 100 != 2) {
            throw new CommandFailure("the upload of " + file + " was refused (HTTP " + put.statusCode() + ")");
        }
    }
}
