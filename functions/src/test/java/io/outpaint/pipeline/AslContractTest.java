package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.FailureCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The state machine file against the code: placeholders, error names, the outcomes its Choices read. */
class AslContractTest {

    private static final Path ASL = Path.of("..", "statemachine", "outpaint.asl.json");

    private static JsonNode asl() throws Exception {
        return new ObjectMapper().readTree(Files.readString(ASL));
    }

    @Test
    void everyPlaceholderIsAStepOfTheCatalogueAndEveryStepHasOne() throws Exception {
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(Files.readString(ASL));
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        Set<String> steps = new TreeSet<>();
        Arrays.stream(PipelineFunction.values()).forEach(f -> f.placeholder().ifPresent(steps::add));
        assertThat(placeholders).isEqualTo(steps);
    }

    @Test
    void everyErrorOfOursInTheRetriesAndCatchesLoadsAndCarriesAFailureCode() throws Exception {
        List<String> ours = new ArrayList<>();
        asl().path("States").forEach(state -> {
            for (String list : List.of("Retry", "Catch")) {
                state.path(list).forEach(r -> r.path("ErrorEquals").forEach(e -> {
                    if (e.asText().startsWith("io.outpaint.")) {
                        ours.add(e.asText());
                    }
                }));
            }
        });
        assertThat(ours).isNotEmpty();
        for (String name : ours) {
            Class<?> type = Class.forName(name);
            assertThat(RuntimeException.class).as(name).isAssignableFrom(type);
            assertThat(type.getAnnotation(FailureCode.class)).as(name + " has no @FailureCode").isNotNull();
            assertThat(RecordFailure.codeOf(name)).isEqualTo(type.getAnnotation(FailureCode.class).value());
        }
    }

    @Test
    void theChoicesReadOnlyOutcomesTheStepsReturn() throws Exception {
        Set<String> read = new TreeSet<>();
        asl().path("States").forEach(state -> state.path("Choices").forEach(c -> {
            if (c.path("Variable").asText().equals("$.outcome")) {
                read.add(c.path("StringEquals").asText());
            }
        }));
        assertThat(read).isNotEmpty();
        for (String value : read) {
            assertThat(StepOutcome.valueOf(value)).isNotNull();
        }
    }

    @Test
    void finishingFollowsTheCopyOnlyWhenCopyResultsSaysCopiedAndEndsInNotifyOrRecordFailure() throws Exception {
        JsonNode states = asl().path("States");
        assertThat(states.path("CopyResults").path("Next").asText()).isEqualTo("IsFinishing");
        JsonNode choice = states.path("IsFinishing");
        assertThat(choice.path("Choices")).hasSize(1);
        assertThat(choice.path("Choices").get(0).path("Variable").asText()).isEqualTo("$.outcome");
        assertThat(choice.path("Choices").get(0).path("StringEquals").asText()).isEqualTo(StepOutcome.COPIED.name());
        assertThat(choice.path("Choices").get(0).path("Next").asText()).isEqualTo("Finish");
        assertThat(choice.path("Default").asText()).as("finish: false ended the job in CopyResults").isEqualTo("Notify");
        JsonNode finish = states.path("Finish");
        assertThat(finish.path("Resource").asText()).isEqualTo("${" + PipelineFunction.FINISH.placeholder().orElseThrow() + "}");
        assertThat(finish.path("Catch").get(0).path("Next").asText()).isEqualTo("RecordFailure");
        assertThat(finish.path("Next").asText()).isEqualTo("IsFinished");
        JsonNode finished = states.path("IsFinished");
        assertThat(finished.path("Choices").get(0).path("StringEquals").asText()).isEqualTo(StepOutcome.SUCCEEDED.name());
        assertThat(finished.path("Choices").get(0).path("Next").asText()).isEqualTo("Notify");
        assertThat(finished.path("Default").asText()).as("FINISH_REFUSED, FINISH_FAILED, or canceled meanwhile").isEqualTo("RecordFailure");
    }

    @Test
    void everyTaskWaitsLongerThanItsFunctionMayRun() throws Exception {
        asl().path("States").fields().forEachRemaining(e -> {
            JsonNode state = e.getValue();
            if (!state.path("Type").asText().equals("Task")) {
                return;
            }
            String placeholder = state.path("Resource").asText().replaceAll("^\\$\\{(\\w+)}$", "$1");
            PipelineFunction function = Arrays.stream(PipelineFunction.values())
                    .filter(f -> f.placeholder().equals(java.util.Optional.of(placeholder))).findFirst().orElseThrow();
            // without it a local run gives every Task 60 s; on AWS a Task would wait on a lost invocation
            assertThat(state.path("TimeoutSeconds").asInt()).as(e.getKey()).isGreaterThan(function.timeoutSeconds());
        });
    }

    @Test
    void everyTaskSaysWhatAFunctionCrashDoesAndRetriesLambdasOwnTransientErrors() throws Exception {
        asl().path("States").fields().forEachRemaining(e -> {
            JsonNode state = e.getValue();
            if (!state.path("Type").asText().equals("Task")) {
                return;
            }
            List<String> retried = new ArrayList<>();
            state.path("Retry").forEach(r -> r.path("ErrorEquals").forEach(x -> retried.add(x.asText())));
            if (!retried.contains("States.ALL")) {
                assertThat(retried).as(e.getKey()).contains("Lambda.Unknown", "Lambda.TooManyRequestsException",
                        "Lambda.ServiceException", "Lambda.ClientExecutionTimeoutException");
                // ErrorEquals compares exact names: the SDK's timeouts are not matched by their superclass
                assertThat(retried).as(e.getKey()).contains("software.amazon.awssdk.core.exception.SdkClientException",
                        "software.amazon.awssdk.core.exception.ApiCallTimeoutException",
                        "software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException");
            }
            assertThat(state.path("Catch")).as(e.getKey() + " catches").isNotEmpty();
        });
    }
}
