package io.outpaint.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.JobStatus;
import io.outpaint.job.PollSchedule;
import io.outpaint.priming.PrimingSteps;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tree's form of a step state is the one the record's annotations give it: Jackson's data
 * binding, which the handler used before, is the oracle here, over many states and the sample events.
 */
class StepStateJsonTest {

    private static final ObjectMapper BINDING = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyStateIsWrittenAsTheRecordsFormAndReadBackWhole() throws Exception {
        Random random = new Random(20261204);
        for (int i = 0; i < 2_000; i++) {
            StepState state = randomState(random, 2);
            assertThat(StepStateJson.tree(state)).as("state %s", state).isEqualTo(BINDING.valueToTree(state));
            byte[] bound = BINDING.writeValueAsBytes(state);
            assertThat(StepStateJson.read(JSON, bound)).isEqualTo(state);
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            StepStateJson.write(JSON, written, state);
            assertThat(BINDING.readValue(written.toByteArray(), StepState.class)).isEqualTo(state);
        }
    }

    @Test
    void theSampleEventsAndThePrimingsStateReadAsTheDataBindingReadsThem() throws Exception {
        List<String> states = new ArrayList<>();
        states.add(PrimingSteps.SAMPLE_STATE);
        try (Stream<Path> events = Files.list(Path.of("..", "events"))) {
            for (Path event : events.sorted().toList()) {
                JsonNode node = JSON.readTree(event.toFile());
                // the step states: the API's, S3's, EventBridge's and StartExecution's events have no job id at the top
                if (node.has("jobId")) {
                    states.add(node.toString());
                }
            }
        }
        assertThat(states).hasSizeGreaterThanOrEqualTo(8);
        for (String text : states) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(StepStateJson.read(JSON, bytes)).as(text).isEqualTo(BINDING.readValue(bytes, StepState.class));
        }
        assertThat(StepStateJson.read(JSON, PrimingSteps.SAMPLE_STATE.getBytes(StandardCharsets.UTF_8)).previous().error().error())
                .isEqualTo("io.outpaint.media.InvalidInputException");
    }

    @Test
    void unknownFieldsArePassedOverAndNullsAreAbsentAsBefore() throws Exception {
        StepState state = StepStateJson.read(JSON, ("{\"jobId\":\"j-1\",\"Comment\":\"from the ASL\",\"video\":null,"
                + "\"nextDelaySeconds\":15.0,\"outcome\":null,\"error\":{\"Error\":\"States.Timeout\",\"Cause\":null,\"x\":1}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(state).isEqualTo(new StepState("j-1", null, null, null, null, 15, null, null, null, null,
                new StepState.CaughtError("States.Timeout", null), null, null, null));
    }

    @Test
    void aFieldOfTheWrongTypeIsRefusedWithItsPathAndWhatItMustBe() {
        assertRefused("[1]", "step state field 'the state' must be an object; got [1]");
        assertRefused("{\"jobId\":5}", "'jobId' must be a string; got 5");
        assertRefused("{\"outcome\":\"RUNNIN\"}", "'outcome' must be one of [ADMITTED, SPLIT, SEGMENTS_QUEUED, JOIN, WAITING_FOR_SLOT, "
                + "OWNED_BY_ANOTHER_EXECUTION, RUNNING, SCENARIO_SUCCEEDED, COPIED, SUCCEEDED, FAILED, CANCELED, TIMED_OUT]; got \"RUNNIN\"");
        assertRefused("{\"nextDelaySeconds\":\"15\"}", "'nextDelaySeconds' must be a whole number; got \"15\"");
        assertRefused("{\"expectedSeconds\":1.5}", "'expectedSeconds' must be a whole number");
        assertRefused("{\"expectedSeconds\":3000000000}", "'expectedSeconds' must be a whole number from -2147483648 to 2147483647; got 3000000000");
        assertRefused("{\"previous\":[]}", "step state field 'previous' must be an object; got []");
        assertRefused("{\"submittedAtMillis\":1e40}", "'submittedAtMillis' must be a whole number");
        assertRefused("{\"observation\":{\"progress\":0.5}}", "'observation.atMillis' must be a whole number");
        assertRefused("{\"observation\":{\"atMillis\":1,\"progress\":\"half\"}}", "'observation.progress' must be a number");
        assertRefused("{\"video\":\"inputs/a.mp4\"}", "'video' must be an object");
        assertRefused("{\"request\":[]}", "'request' must be an object");
        assertRefused("{\"previous\":{\"error\":{\"Error\":\"X\",\"Cause\":{}}}}", "'previous.error.Cause' must be a string; got {}");
        assertRefused("{\"ended\":\"DONE\"}", "'ended' must be one of [");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> StepStateJson.read(JSON, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static StepState randomState(Random random, int depth) {
        return new StepState(
                maybe(random, () -> "job-" + random.nextInt(1000)),
                maybe(random, () -> "arn:aws:states:us-east-1:000000000000:execution:outpaint:" + random.nextInt(1000)),
                maybe(random, () -> new StepState.VideoRef(maybe(random, () -> "bucket"), maybe(random, () -> "inputs/\"a b\"é.mp4"),
                        maybe(random, () -> "v" + random.nextInt(9)))),
                maybe(random, () -> {
                    ObjectNode request = JSON.createObjectNode().put("prompt", "a street, \\ \n wide").put("seed", random.nextInt());
                    request.putArray("sizes").add(1.5).add(random.nextLong());
                    return request;
                }),
                maybe(random, () -> StepOutcome.values()[random.nextInt(StepOutcome.values().length)]),
                maybe(random, () -> random.nextInt()),
                maybe(random, () -> new PollSchedule.Observation(random.nextDouble(), random.nextLong())),
                maybe(random, () -> random.nextLong()),
                maybe(random, () -> random.nextInt(86_400)),
                maybe(random, () -> new StepState.Failure(maybe(random, () -> "SCENARIO_FAILED"), maybe(random, () -> "it failed"),
                        maybe(random, () -> "try again"))),
                maybe(random, () -> new StepState.CaughtError(maybe(random, () -> "States.ALL"), maybe(random, () -> "{\"errorMessage\":\"x\"}"))),
                depth > 0 ? maybe(random, () -> randomState(random, depth - 1)) : null,
                maybe(random, () -> JobStatus.values()[random.nextInt(JobStatus.values().length)]),
                maybe(random, () -> java.util.List.of("job-" + random.nextInt(9) + "-s001", "job-s002")));
    }

    private static <T> T maybe(Random random, java.util.function.Supplier<T> value) {
        return random.nextBoolean() ? value.get() : null;
    }
}
