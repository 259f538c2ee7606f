package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.request.OutpaintRequest;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code submit | status | list | get | wait | cancel | retry-segment | estimate | usage}: a running local runtime ({@code serve}) or a deployed API. */
final class ClientCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientCommands() {}

    static void addTo(CommandLine cli) {
        CommandLine submit = new CommandLine(new SubmitCommand());
        ModelFlags.addTo(submit.getCommandSpec());
        CommandLine estimate = new CommandLine(new Estimate());
        ModelFlags.addTo(estimate.getCommandSpec());
        cli.addSubcommand("submit", submit);
        cli.addSubcommand("status", new Status());
        cli.addSubcommand("list", new ListCommand());
        cli.addSubcommand("get", new GetCommand());
        cli.addSubcommand("wait", new WaitCommand());
        cli.addSubcommand("cancel", new CancelCommand());
        cli.addSubcommand("retry-segment", new RetrySegmentCommand());
        cli.addSubcommand("estimate", estimate);
        cli.addSubcommand("usage", new UsageCommand());
    }

    /** Where the API is and how to authenticate. */
    static final class Endpoint {
        @Option(names = "--endpoint", defaultValue = "${env:OUTPAINT_ENDPOINT}", paramLabel = "URL",
                description = "The API's base URL (printed by 'outpaint serve', or the stack's ApiUrl output; default: $OUTPAINT_ENDPOINT).")
        String url;

        @Option(names = "--api-key", defaultValue = "${env:OUTPAINT_API_KEY}", paramLabel = "KEY",
                description = "The local runtime's API key (printed by 'outpaint serve'; default: $OUTPAINT_API_KEY); without it requests are SigV4-signed with the default AWS credentials.")
        String apiKey;

        /** The endpoint last used, for the one-line message when it cannot be reached. */
        static volatile String lastUrl = "the API";

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        @Option(names = "--region", description = "Region to sign for (default: the SDK's default region).")
        String region;

        ApiClient client() {
            if (url == null || url.isBlank()) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        "--endpoint is missing; allowed: the API's base URL that 'outpaint serve' prints (or set OUTPAINT_ENDPOINT)");
            }
            if (!url.matches("https?://[^\\s]+")) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        "--endpoint " + url + " is not allowed; allowed: an http:// or https:// URL");
            }
            lastUrl = url;
            return new ApiClient(url, apiKey, region);
        }
    }

    /** Prints the answer and returns 0 when it succeeded; else an {@link ApiRefusal} (exit 1) with the API's message and fields. */
    static int print(ApiClient.Answer answer) throws Exception {
        return print(answer, "FILE|KEY");
    }

    /** As {@link #print(ApiClient.Answer)}, the video's key named as {@code videoParameter} (the command's own parameter). */
    static int print(ApiClient.Answer answer, String videoParameter) throws Exception {
        if (!answer.ok()) {
            throw ApiRefusal.of(answer, videoParameter);
        }
        Outpaint.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
        return 0;
    }

    static OutpaintRequest request(CommandSpec spec) {
        return ModelFlags.checked(spec, null);
    }

    @Command(name = "estimate", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
            description = "The cost in creative units of a job, from the price of its shape: for a local file only its headers are "
                    + "read here and its shape sent (the video is not uploaded); for a key, the API reads them in the bucket.")
    static final class Estimate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "FILE|KEY", description = "A local MP4 or WebM file, or the key of a video in the bucket, e.g. inputs/street.mp4.")
        String video;
        @Option(names = "--json", description = "The API's answer, as it is.") boolean json;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            java.nio.file.Path file = java.nio.file.Path.of(video);
            if (java.nio.file.Files.isRegularFile(file)) {
                io.outpaint.media.VideoProbe.Video probed = SubmitCommand.probe(spec, file);
                body.putObject("video").putObject("shape").put("width", probed.width()).put("height", probed.height())
                        .put("durationSeconds", probed.durationSeconds()).put("framesPerSecond", probed.framesPerSecond())
                        .put("frames", probed.frames());
            } else if (video.startsWith("inputs/")) {
                body.putObject("video").put("key", video);
            } else {
                throw SubmitCommand.notFileOrKey(spec, video);
            }
            body.set("request", request(spec).toJson());
            ApiClient.Answer answer = endpoint.client().post("/estimate", body, Map.of());
            if (json || !answer.ok()) {
                return print(answer, "FILE|KEY");
            }
            Outpaint.out.print(estimateText(answer.body()));
            return 0;
        }
    }

    /** An estimate as people read it: the units, the shape they are the price of (each segment's for a long clip), the framing. */
    static String estimateText(com.fasterxml.jackson.databind.JsonNode answer) {
        StringBuilder text = new StringBuilder();
        com.fasterxml.jackson.databind.JsonNode shape = answer.path("shape");
        com.fasterxml.jackson.databind.JsonNode segments = answer.path("segments");
        int generations = segments.path("count").asInt(1);
        String settings = " at " + shape.path("resolution").asText() + ", " + shape.path("numInferenceSteps").asInt() + " steps, "
                + shape.path("numInterpolatedFrames").asInt() + " interpolated"
                + (answer.path("source").asText().equals("cache") ? " (priced earlier)" : " (priced just now)");
        if (generations > 1) {
            java.util.List<String> each = new java.util.ArrayList<>();
            java.util.List<String> frames = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode segment : segments.path("each")) {
                each.add(segment.path("creativeUnits").asText());
                frames.add(segment.path("generatedFrames").asText());
            }
            text.append(answer.path("creativeUnits").asInt()).append(" creative units: the sum of ").append(generations)
                    .append(" segments' prices (").append(String.join(" + ", each)).append(")").append(settings)
                    .append(System.lineSeparator());
            text.append("  ").append(generations).append(" segments: the clip is longer than one generation; each is generated on its own (")
                    .append(String.join(", ", frames)).append(" frames), overlapping by ").append(segments.path("overlapFrames").asInt())
                    .append(" frames").append(segments.has("seed") ? ", seed " + segments.path("seed").asLong() : "")
                    .append(System.lineSeparator());
        } else {
            text.append(answer.path("creativeUnits").asInt()).append(" creative units: the price of ").append(shape.path("frames").asInt())
                    .append(" frames").append(settings).append(System.lineSeparator());
        }
        com.fasterxml.jackson.databind.JsonNode framing = answer.path("framing");
        if (framing.isObject()) {
            text.append("  framing: ").append(framing.path("input").path("width").asInt()).append("x").append(framing.path("input").path("height").asInt())
                    .append(" onto a ").append(framing.path("canvas").path("width").asInt()).append("x").append(framing.path("canvas").path("height").asInt())
                    .append(" canvas").append(System.lineSeparator());
        }
        text.append("Nothing was started and the video was not uploaded.").append(System.lineSeparator());
        return text.toString();
    }

    @Command(name = "status", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
            description = "A job's summary: its file and prompt, status, progress, place in the queue, outputs with their sizes, "
                    + "and its error (--json for the API's whole record).")
    static final class Status implements Callable<Integer> {
        @Mixin Endpoint endpoint;
        @Parameters(paramLabel = "JOB_ID") String jobId;
        @Option(names = "--json", description = "The API's record of the job, as it is (its download links included).") boolean json;
        @Option(names = "--urls", description = "Also show the input's and the outputs' download links (presigned, valid for an hour).") boolean urls;

        @Override
        public Integer call() throws Exception {
            ApiClient.Answer answer = endpoint.client().get("/jobs/" + ApiClient.segment(jobId));
            if (json || !answer.ok()) {
                return print(answer, "JOB_ID");
            }
            Outpaint.out.print(JobSummary.text(answer.body(), urls, java.time.Instant.now()));
            return 0;
        }
    }
}
