package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.local.testing.CallsByFunction;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineFunction.Need;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The catalogue's grants hold for what the code really calls: every function is run through the
 * local Lambda endpoint on the paths that reach it (a job that succeeds, one that fails, a cancel
 * while waiting, an execution stopped from outside, an upload, the sweep, an estimate), and each
 * AWS action its SDK calls make must be one its entry grants on AWS. On AWS a call outside them is
 * an AccessDenied; here it would pass unnoticed but for this test.
 */
class FunctionCallsTest {

    private static final String REQUEST = "{\"prompt\":\"p\",\"resolution\":\"480p\"}";
    private static final String KEY = "inputs/calls/clip.mp4";
    private static final String LONG_KEY = "inputs/calls/long.mp4";
    /** The Step Functions and EventBridge actions each need grants, as the stack writes them. */
    private static final Map<Need, String> SERVICE_ACTIONS = Map.of(Need.START_EXECUTIONS, "states:StartExecution",
            Need.STOP_EXECUTIONS, "states:StopExecution", Need.DESCRIBE_EXECUTIONS, "states:DescribeExecution",
            Need.EVENTS, "events:PutEvents");
    private static LocalPipeline pipeline;
    private static ApiCalls api;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withLimit(1).withTime(0.01, 100)
                .withJobDuration(Duration.ofMillis(300)).withSweepEvery(Duration.ZERO));
        api = new ApiCalls(pipeline);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static void put(String key) throws Exception {
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        upload(key, video);
    }

    /** A clip of {@code seconds} at 16 fps, its frames counted in its index (FFmpeg's MP4): over 15 s, longer than one generation. */
    private static void putLong(String key, int seconds) throws Exception {
        Path video = dir.resolve("long-" + seconds + ".mp4");
        io.outpaint.local.testing.VideoChecks.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=16:duration=" + seconds,
                "-c:v", "libopenh264", "-b:v", "1M", "-pix_fmt", "yuv420p", video.toString());
        upload(key, video);
    }

    private static void upload(String key, Path video) {
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(video));
        }
    }

    @Test
    void everyFunctionCallsOnlyTheAwsActionsItsCatalogueEntryIsGranted() throws Exception {
        CallsByFunction.clear();
        put(KEY); // an upload: its job runs through the trigger
        api.awaitStatus(api.create(KEY, REQUEST), "SUCCEEDED", Duration.ofMinutes(1));
        // a long clip: Split, each segment's job, the Map of FinishSegment and Join
        putLong(LONG_KEY, 17);
        api.awaitStatus(api.create(LONG_KEY, REQUEST), "SUCCEEDED", Duration.ofMinutes(3));
        awaitNothingInFlight(); // the upload's job: the failure below must be this job's
        pipeline.simulator().faults().nextFailingJobs(1, "the model failed", "try another prompt");
        api.awaitStatus(api.create(KEY, REQUEST), "FAILED", Duration.ofMinutes(1));

        pipeline.simulator().jobDuration(Duration.ofSeconds(30));
        String running = api.create(KEY, REQUEST);
        api.await(running, j -> pipeline.services().jobs().get(running).scenario().jobId() != null, Duration.ofMinutes(1));
        String waiting = api.create(KEY, REQUEST);
        assertThat(api.json("POST", "/jobs/" + waiting + "/cancel", null).path("status").asText()).isEqualTo("CANCELED");
        String arn = pipeline.services().jobs().get(running).executionArn();
        try (var sfn = pipeline.cloud().stepFunctions()) {
            sfn.stopExecution(b -> b.executionArn(arn).error("Stopped").cause("stopped from outside"));
        }
        api.awaitStatus(running, "CANCELED", Duration.ofMinutes(1));
        pipeline.simulator().jobDuration(Duration.ofMillis(300));
        pipeline.sweep();
        assertThat(api.call("POST", "/estimate", "{\"video\":{\"key\":\"" + KEY + "\"},\"request\":" + REQUEST + "}").statusCode())
                .isEqualTo(200);
        api.await(running, j -> everyFunctionCalled(), Duration.ofSeconds(30));

        Map<String, Set<String>> calls = CallsByFunction.calls();
        for (PipelineFunction entry : PipelineFunction.values()) {
            Set<String> made = calls.getOrDefault(entry.localName(), Set.of());
            assertThat(made).as(entry + " ran and called DynamoDB").anyMatch(a -> a.startsWith("dynamodb:"));
            Set<String> granted = new HashSet<>(entry.dynamoActions());
            SERVICE_ACTIONS.forEach((need, action) -> {
                if (entry.needs(need)) {
                    granted.add(action);
                }
            });
            Set<String> checked = made.stream().filter(a -> a.startsWith("dynamodb:") || a.startsWith("states:") || a.startsWith("events:"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(granted).as(entry + " calls " + checked + "; its entry grants " + new TreeSet<>(granted)).containsAll(checked);
        }
    }

    private static void awaitNothingInFlight() throws InterruptedException {
        QueueDrain.await(pipeline, java.time.Duration.ofSeconds(60));
    }

    private static boolean everyFunctionCalled() {
        Set<String> seen = CallsByFunction.calls().keySet();
        return Arrays.stream(PipelineFunction.values()).allMatch(f -> seen.contains(f.localName()));
    }
}
