package io.outpaint.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The stored document's form is the one {@link JobJson}'s data binding gives the record: the
 * binding, which the store used before, is the oracle here, over many jobs.
 */
class JobDocumentTest {

    private static final ObjectMapper BINDING = JobJson.mapper();

    @Test
    void everyJobIsWrittenAsTheBindingWritesItAndReadBackWhole() throws Exception {
        Random random = new Random(20261204);
        for (int i = 0; i < 2_000; i++) {
            Job job = randomJob(random);
            assertThat(JobDocument.tree(job)).as("job %s", job).isEqualTo(BINDING.valueToTree(job));
            assertThat(JobDocument.write(job)).isEqualTo(BINDING.writeValueAsString(job));
            assertThat(JobDocument.read(BINDING.writeValueAsString(job))).isEqualTo(job);
            assertThat(BINDING.readValue(JobDocument.write(job), Job.class)).isEqualTo(job);
            // the pieces the API's answers and the notices show
            assertThat(JobDocument.outputs(job.outputs())).isEqualTo(BINDING.valueToTree(job.outputs()));
            assertThat(JobDocument.history(job.history())).isEqualTo(BINDING.valueToTree(job.history()));
            if (job.error() != null) {
                assertThat(JobDocument.tree(job.error())).isEqualTo(BINDING.valueToTree(job.error()));
            }
        }
    }

    @Test
    void aNewJobsDocumentReadsBackAsTheSameJob() {
        ObjectNode request = BINDING.createObjectNode().put("prompt", "a street").put("resolution", "480p");
        Job job = Job.queued("j-1", request, new Job.Source("s3", "b", "inputs/a.mp4", null, "\"e\"", 10L, "video/mp4"),
                null, "key-1", Instant.parse("2026-12-04T20:00:00.123456789Z"), 7);
        assertThat(JobDocument.read(JobDocument.write(job))).isEqualTo(job);
        assertThat(JobDocument.write(job)).contains("\"createdAt\":\"2026-12-04T20:00:00.123456789Z\"", "\"scenario\":{}",
                "\"outputs\":[]", "\"progress\":0.0");
        // the input's file name, from its key unless the client names it
        assertThat(job.inputName()).isEqualTo("a.mp4");
        assertThat(JobDocument.read(JobDocument.write(job.withInputName("Street (final).mp4"))).inputName()).isEqualTo("Street (final).mp4");
    }

    @Test
    void nullsAreAbsentAndMissingNumbersZeroAsTheBindingReadThem() throws Exception {
        String document = "{\"jobId\":\"j-1\",\"status\":\"QUEUED\",\"error\":null,\"outputs\":null,\"scenario\":null,"
                + "\"source\":{\"bucket\":\"in\",\"size\":null},"
                + "\"history\":[{\"status\":\"QUEUED\",\"at\":\"2026-12-04T20:00:00Z\",\"note\":null}]}";
        Job job = JobDocument.read(document);
        assertThat(job).isEqualTo(BINDING.readValue(document, Job.class));
        assertThat(job.progress()).isZero();
        assertThat(job.expiresAt()).isZero();
        assertThat(job.outputs()).isEmpty();
        assertThat(job.scenario()).isEqualTo(Job.Scenario.NONE);
        assertThat(job.history()).containsExactly(new Job.StatusChange(JobStatus.QUEUED, Instant.parse("2026-12-04T20:00:00Z"), null));
    }

    @Test
    void aRecordWrittenBeforeTheCapWasKeptReadsWithoutOne() throws Exception {
        String document = "{\"jobId\":\"j-1\",\"status\":\"QUEUED\",\"billing\":{\"estimate\":48,\"budgetPeriod\":\"2026-05\"}}";
        Job job = JobDocument.read(document);
        assertThat(job.billing()).isEqualTo(new Job.Billing(48, null, "2026-05", null));
        assertThat(job).isEqualTo(BINDING.readValue(document, Job.class));
        // and a cap, once kept, is written and read back with the rest of the billing
        Job capped = job.withBilling(job.billing().withMaxCreativeUnits(60), job.updatedAt());
        assertThat(JobDocument.write(capped)).contains("\"billing\":{\"estimate\":48,\"budgetPeriod\":\"2026-05\",\"maxCreativeUnits\":60}");
        assertThat(JobDocument.read(JobDocument.write(capped)).billing().maxCreativeUnits()).isEqualTo(60);
    }

    @Test
    void aDocumentThatIsNotAJobRecordIsRefusedWithTheFieldsPath() {
        assertRefused("[]", "a job record must be a JSON object; got []");
        assertRefused("{\"jobId\":\"j\",\"colour\":\"red\"}", "a job record has a field 'colour' it does not know; allowed: [billing, createdAt,");
        assertRefused("{\"scenario\":{\"jobid\":\"x\"}}", "a job record's field 'scenario' has a field 'jobid' it does not know");
        assertRefused("{\"outputs\":[{\"key\":\"k\",\"size\":1}]}", "a job record's field 'outputs[0]' has a field 'size' it does not know");
        assertRefused("{\"status\":\"DONE\"}", "'status' must be one of [QUEUED,");
        assertRefused("{\"createdAt\":\"yesterday\"}", "'createdAt' must be an ISO-8601 instant such as 2026-12-04T10:15:30Z; got \"yesterday\"");
        assertRefused("{\"createdAt\":1796415382}", "'createdAt' must be a string; got 1796415382");
        assertRefused("{\"version\":1.5}", "'version' must be a whole number; got 1.5");
        assertRefused("{\"progress\":\"half\"}", "'progress' must be a number");
        assertRefused("{\"request\":\"paint\"}", "'request' must be an object");
        assertRefused("{\"framing\":[1]}", "'framing' must be an object");
        assertRefused("{\"outputs\":{}}", "'outputs' must be an array");
        assertRefused("{\"outputs\":[{\"key\":\"k\",\"width\":3000000000}]}", "'outputs[0].width' must be a whole number from");
        assertRefused("{\"history\":[{\"status\":\"QUEUED\",\"at\":\"2026-12-04T20:00:00Z\"},{\"status\":7}]}",
                "'history[1].status' must be one of [QUEUED, WAITING_FOR_SLOT,");
        assertRefused("{\"billing\":{\"estimate\":48,\"cost\":48}}", "a job record's field 'billing' has a field 'cost' it does not know");
        assertRefused("{\"billing\":{\"billed\":\"48\"}}", "'billing.billed' must be a whole number");
        assertRefused("{\"jobId\":", "a job record must be a JSON object");
    }

    private static void assertRefused(String document, String message) {
        assertThatThrownBy(() -> JobDocument.read(document)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static Job randomJob(Random random) {
        List<Job.Output> outputs = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            outputs.add(new Job.Output(maybe(random, () -> "asset_" + random.nextInt(99)), "results", "outputs/j/" + i + ".mp4",
                    random.nextLong(), maybe(random, () -> "ab12"), maybe(random, () -> "video/mp4"),
                    maybe(random, random::nextInt), maybe(random, random::nextInt), maybe(random, random::nextDouble)));
        }
        List<Job.StatusChange> history = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            history.add(new Job.StatusChange(status(random), instant(random), maybe(random, () -> "Scenario job \"x\" \u00e9\n")));
        }
        ObjectNode request = BINDING.createObjectNode().put("prompt", "a street").put("seed", random.nextLong());
        request.putArray("sizes").add(random.nextDouble()).add(3);
        return new Job(
                maybe(random, () -> "job-" + random.nextInt(999)),
                maybe(random, () -> status(random)),
                maybe(random, random::nextLong),
                maybe(random, () -> instant(random)),
                maybe(random, () -> instant(random)),
                maybe(random, () -> request),
                maybe(random, () -> new Job.Source(maybe(random, () -> "s3"), maybe(random, () -> "in"), maybe(random, () -> "inputs/a b.mp4"),
                        maybe(random, () -> "v1"), maybe(random, () -> "\"etag\""), maybe(random, random::nextLong),
                        maybe(random, () -> "video/mp4"), maybe(random, () -> java.util.List.of("btime", "mtime")))),
                maybe(random, () -> "arn:aws:states:us-east-1:000000000000:execution:outpaint:x"),
                maybe(random, () -> "idem-" + random.nextInt()),
                maybe(random, () -> new Job.Scenario(maybe(random, () -> "asset_1"), maybe(random, () -> "job_1"),
                        maybe(random, () -> instant(random)), maybe(random, () -> instant(random)))),
                random.nextBoolean() ? 0 : random.nextDouble(),
                maybe(random, () -> outputs),
                maybe(random, () -> new Job.JobError(maybe(random, () -> "SCENARIO_FAILED"), maybe(random, () -> "it failed"),
                        maybe(random, () -> "try again"), maybe(random, () -> 1 + random.nextInt(40)))),
                maybe(random, () -> history),
                random.nextLong(),
                maybe(random, () -> "https://hooks.example.com/x?y=1"),
                maybe(random, () -> BINDING.createObjectNode().put("expandRatio", 0.3894).set("canvas",
                        BINDING.createObjectNode().put("width", 1920).put("height", 1920))),
                maybe(random, () -> new Job.Billing(maybe(random, () -> random.nextInt(500)), maybe(random, () -> random.nextInt(500)),
                        maybe(random, () -> "2026-05"), maybe(random, () -> 1 + random.nextInt(500)))),

                maybe(random, () -> BINDING.createObjectNode().put("fps", "30000/1001").put("frames", 300)
                        .set("audio", BINDING.createObjectNode().put("codec", "aac").put("handling", "copied"))),
                maybe(random, () -> "Street at dusk (final) \u00e9.mp4"),
                maybe(random, () -> BINDING.createObjectNode().put("parent", "job-1").put("index", 2).put("attempt", 1)));
    }

    private static JobStatus status(Random random) {
        return JobStatus.values()[random.nextInt(JobStatus.values().length)];
    }

    private static Instant instant(Random random) {
        // seconds across years 1970 to 2286, and nanos that print as 0, 3, 6 or 9 digits
        long nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000L;
            case 2 -> random.nextInt(1_000_000) * 1_000L;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE) * 4L, nanos);
    }

    private static <T> T maybe(Random random, Supplier<T> value) {
        return random.nextBoolean() ? value.get() : null;
    }
}
