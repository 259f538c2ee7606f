package io.outpaint.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.lambda.runtime.CloudAssembly;
import io.outpaint.local.lambda.runtime.Rehearsal;
import io.outpaint.local.lambda.runtime.RehearsalCloud;
import io.outpaint.local.lambda.runtime.RuntimeApi;
import io.outpaint.local.lambda.runtime.RuntimeClientLauncher;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.simulator.video.Mp4Video;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Each function of the catalogue run as Lambda runs it: its code from the asset that synthesis wrote
 * for {@code cdk deploy} (zipped and unzipped as the task root, not the build's classpath), started by
 * AWS's runtime interface client with the template's handler string and environment, SnapStart's
 * init (every library's {@code beforeCheckpoint} hook and ours, then the {@code afterRestore} ones),
 * then invoked with its sample event from {@code events/} against the local cloud, one step after
 * another as the state machine would call them.
 */
class AssetRehearsalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private static Path work;
    private static CloudAssembly assembly;
    private static LocalPipeline pipeline;
    private static RehearsalCloud cloud;
    private static final Map<String, Path> taskRoots = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // kept under target/ for a look at each function's output after a failure
        work = OutpaintApp.root().resolve("infra/target/rehearsal");
        if (Files.exists(work)) {
            try (Stream<Path> old = Files.walk(work)) {
                for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(work);
        assembly = CloudAssembly.read(Synthesized.ASSEMBLY, "Outpaint");
        for (CloudAssembly.Function function : assembly.functions("io.outpaint.")) {
            if (!taskRoots.containsKey(function.assetHash())) {
                Path root = work.resolve("task-" + function.assetHash().substring(0, 12));
                CloudAssembly.unpack(assembly.assets().get(function.assetHash()), root);
                taskRoots.put(function.assetHash(), root);
            }
        }
        System.out.printf("rehearsal: the runtime interface client %s on the JDK in %s, the asset(s) %s%n",
                RuntimeClientLauncher.runtimeClasspath().get(0).getFileName(), RuntimeClientLauncher.java(), taskRoots.keySet());
        // no periodic sweep: it would resume the sample job, whose execution does not exist, while a rehearsed function starts
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withJobDuration(Duration.ofMillis(800))
                .withSweepEvery(Duration.ZERO));
        cloud = new RehearsalCloud(pipeline, assembly.parameterDefaults());
        Path video = work.resolve("sample.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            for (String key : List.of("inputs/sample.mp4", "inputs/dropped/street scene.mp4")) {
                s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(video));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyFunctionStartsFromTheAssetAsLambdaStartsItAndAnswersItsSampleEvent() throws Exception {
        List<String> failures = new ArrayList<>();
        // the order a job takes, then the functions outside the state machine
        rehearse(PipelineFunction.ADMIT, failures, r -> {
            expect(r, event("admit.json"), "outcome", "ADMITTED");
            // a Task's error reaches the state machine as its exception's class name, as the ASL's Catch names it
            ObjectNode missing = event("admit.json");
            missing.put("jobId", "sample-job-missing-video");
            ((ObjectNode) missing.path("previous").path("video")).put("key", "inputs/missing.mp4");
            RuntimeApi.Answer error = r.invoke(JSON.writeValueAsBytes(missing), ANSWER);
            assertThat(error.ok()).as(error.body()).isFalse();
            assertThat(JSON.readTree(error.body()).path("errorType").asText()).isEqualTo("io.outpaint.media.InvalidInputException");
            return "ADMITTED; a missing video: " + JSON.readTree(error.body()).path("errorType").asText();
        });
        rehearse(PipelineFunction.UPLOAD_INPUT, failures, r -> expect(r, event("upload-input.json"), "jobId", "sample-job"));
        long[] submittedAt = new long[1];
        rehearse(PipelineFunction.SUBMIT, failures, r -> {
            JsonNode answer = answer(r, event("submit.json"));
            assertThat(answer.path("outcome").asText()).as(answer.toString()).isEqualTo("RUNNING");
            submittedAt[0] = answer.path("submittedAtMillis").asLong();
            return "RUNNING";
        });
        rehearse(PipelineFunction.CHECK_STATUS, failures, r -> {
            ObjectNode check = event("check-status.json");
            check.put("submittedAtMillis", submittedAt[0]);
            JsonNode checked = answer(r, check);
            int looks = 1;
            for (Instant end = Instant.now().plusSeconds(30); checked.path("outcome").asText().equals("RUNNING") && Instant.now().isBefore(end); looks++) {
                Thread.sleep(200);
                check.set("observation", checked.path("observation"));
                checked = answer(r, check);
            }
            assertThat(checked.path("outcome").asText()).as(checked.toString()).isEqualTo("SCENARIO_SUCCEEDED");
            return "SCENARIO_SUCCEEDED after " + looks + " look(s)";
        });
        // finishing is on by default: the copy hands the job to Finish, which runs from the media asset (FFmpeg's natives)
        rehearse(PipelineFunction.COPY_RESULTS, failures, r -> expect(r, event("copy-results.json"), "outcome", "COPIED"));
        rehearse(PipelineFunction.FINISH, failures, r -> {
            String ended = expect(r, event("finish.json"), "ended", "SUCCEEDED");
            var job = pipeline.services().jobs().get("sample-job");
            assertThat(job.outputs().get(0).key()).isEqualTo("outputs/sample-job/outpaint.mp4");
            assertThat(job.finish().path("frames").asLong()).as(job.finish().toString()).isPositive();
            return ended + ", " + job.finish().path("width").asInt() + "x" + job.finish().path("height").asInt() + " at "
                    + job.finish().path("fps").asText() + " fps";
        });
        // a long clip's steps, from the media asset: on the sample job, which has ended, each says so and changes nothing;
        // a segment's finish on a job that is no segment is refused with its reason (the long path runs in SegmentsEndToEndTest)
        rehearse(PipelineFunction.SPLIT, failures, r -> expect(r, event("split.json"), "outcome", "SUCCEEDED"));
        rehearse(PipelineFunction.FINISH_SEGMENT, failures, r -> {
            RuntimeApi.Answer error = r.invoke(JSON.writeValueAsBytes(event("finish-segment.json")), ANSWER);
            assertThat(error.ok()).as(error.body()).isFalse();
            JsonNode body = JSON.readTree(error.body());
            assertThat(body.path("errorType").asText()).isEqualTo("io.outpaint.store.JobStore$NoSuchJobException");
            return body.path("errorType").asText();
        });
        rehearse(PipelineFunction.JOIN, failures, r -> expect(r, event("join.json"), "outcome", "SUCCEEDED"));
        rehearse(PipelineFunction.RECORD_FAILURE, failures, r -> expect(r, event("record-failure.json"), "outcome", "FAILED"));
        rehearse(PipelineFunction.NOTIFY, failures, r -> expect(r, event("notify.json"), "outcome", "SUCCEEDED"));
        rehearse(PipelineFunction.API, failures, r -> {
            JsonNode answer = answer(r, event("api-create-job.json"));
            assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(202);
            return "202, job " + JSON.readTree(answer.path("body").asText()).path("jobId").asText();
        });
        rehearse(PipelineFunction.UPLOAD_TRIGGER, failures, r -> {
            JsonNode answer = answer(r, event("s3-object-created.json"));
            assertThat(answer.get(0).asText()).as(answer.toString()).isEqualTo("STARTED");
            return answer.toString();
        });
        rehearse(PipelineFunction.RECONCILE, failures, r -> {
            JsonNode answer = answer(r, event("execution-status-change.json"));
            assertThat(answer.asText()).as("the sample job has ended: nothing to reconcile").isEqualTo("UNCHANGED");
            return answer.toString();
        });
        rehearse(PipelineFunction.SWEEP, failures, r -> {
            JsonNode answer = answer(r, event("sweep.json"));
            assertThat(answer.isObject()).as(answer.toString()).isTrue();
            return answer.toString();
        });
        assertThat(failures).as("functions that did not run as Lambda would run them").isEmpty();
    }

    @Test
    void anAssetMissingALibraryThatAHookLoadsFailsNamingTheFunctionAndTheClass() throws Exception {
        CloudAssembly.Function submit = function(PipelineFunction.SUBMIT);
        Path copy = work.resolve("without-aspectjrt");
        copyTree(taskRoots.get(submit.assetHash()), copy);
        try (Stream<Path> jars = Files.list(copy.resolve("lib"))) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("aspectjrt-")).toList()) {
                Files.delete(jar);
            }
        }
        Rehearsal.RehearsalFailure failure = catchThrowableOfType(Rehearsal.RehearsalFailure.class,
                () -> Rehearsal.start(launch(PipelineFunction.SUBMIT, submit, copy), work, START).close());
        assertThat(failure).as("Submit without aspectjrt started").isNotNull();
        assertThat(failure.function()).isEqualTo("Submit");
        assertThat(failure.missingClass()).contains("org.aspectj.lang.NoAspectBoundException");
        assertThat(failure.getMessage()).contains("Submit (io.outpaint.handlers.StepHandler)", "before SnapStart's checkpoint");
    }

    @Test
    void aHandlerStringThatDoesNotResolveAnswersEveryInvocationWithTheRuntimeClientsClassNotFound() throws Exception {
        CloudAssembly.Function submit = function(PipelineFunction.SUBMIT);
        RuntimeClientLauncher.Launch real = launch(PipelineFunction.SUBMIT, submit, taskRoots.get(submit.assetHash()));
        RuntimeClientLauncher.Launch wrong = new RuntimeClientLauncher.Launch(real.functionName(), "io.outpaint.handlers.NoSuchHandler",
                real.memoryMb(), real.taskRoot(), real.environment(), real.snapStart());
        // the runtime client defers a missing class to the invocation (SnapStart's version would publish): the rehearsal's
        // invocation is what fails, with the class named
        try (Rehearsal rehearsal = Rehearsal.start(wrong, work, START)) {
            RuntimeApi.Answer answer = rehearsal.invoke(JSON.writeValueAsBytes(event("submit.json")), ANSWER);
            assertThat(answer.ok()).isFalse();
            assertThat(answer.body()).contains("java.lang.ClassNotFoundException", "io.outpaint.handlers.NoSuchHandler");
        }
    }

    private interface Script {
        String run(Rehearsal rehearsal) throws Exception;
    }

    private static void rehearse(PipelineFunction entry, List<String> failures, Script script) throws Exception {
        CloudAssembly.Function function = function(entry);
        try (Rehearsal rehearsal = Rehearsal.start(launch(entry, function, taskRoots.get(function.assetHash())), work, START)) {
            Rehearsal.Init init = rehearsal.init();
            String answered;
            try {
                if (function.snapStart()) {
                    assertThat(init.hooks()).as("the hooks that ran").anyMatch(h -> h.startsWith("io.outpaint."));
                }
                answered = script.run(rehearsal);
            } catch (AssertionError | Exception e) {
                failures.add(entry.id() + ": " + e.getMessage() + " (its output: " + rehearsal.log() + ")");
                return;
            }
            String reached = function.snapStart() ? "to SnapStart's checkpoint" : "to its first request (on demand, no SnapStart)";
            System.out.printf("rehearsal %-13s %5d ms %s, restore %4d ms, hooks run: %s; answered: %s%n",
                    entry.id(), init.toCheckpoint().toMillis(), reached, init.restore().toMillis(), simpleNames(init.hooks()), answered);
        } catch (Rehearsal.RehearsalFailure e) {
            failures.add(e.getMessage());
        }
    }

    private static String expect(Rehearsal rehearsal, ObjectNode event, String field, String value) throws Exception {
        JsonNode answer = answer(rehearsal, event);
        assertThat(answer.path(field).asText()).as(answer.toString()).isEqualTo(value);
        return field + " " + value;
    }

    private static JsonNode answer(Rehearsal rehearsal, JsonNode event) throws Exception {
        RuntimeApi.Answer answer = rehearsal.invoke(JSON.writeValueAsBytes(event), ANSWER);
        assertThat(answer.ok()).as("an error: " + answer.body()).isTrue();
        return JSON.readTree(answer.body());
    }

    static CloudAssembly.Function function(PipelineFunction entry) {
        return assembly.function(entry.id() + "Function", "io.outpaint.")
                .orElseThrow(() -> new AssertionError("the template has no function for " + entry));
    }

    private static RuntimeClientLauncher.Launch launch(PipelineFunction entry, CloudAssembly.Function function, Path taskRoot) {
        return cloud.launch(entry, function, taskRoot);
    }

    private static ObjectNode event(String name) throws IOException {
        return (ObjectNode) JSON.readTree(OutpaintApp.root().resolve("events").resolve(name).toFile());
    }

    private static List<String> simpleNames(List<String> classes) {
        return classes.stream().map(c -> c.substring(c.lastIndexOf('.') + 1)).toList();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
