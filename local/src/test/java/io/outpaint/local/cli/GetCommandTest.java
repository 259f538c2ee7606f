package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code get JOB_ID [-o PATH] [--force]} against a stub API: what it saves, what it refuses, what it suggests. */
class GetCommandTest {

    @TempDir Path dir;
    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    private static int get(StubApi api, String... more) {
        String[] args = {"get", "--endpoint", api.url(), "--api-key", "stub-key"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Outpaint.execute(all);
    }

    @Test
    void anUnfinishedJobSuggestsWaitingForThatJobNotStartingANewOne() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-4", FinishedJobs.running("api-4"))) {
            assertThat(get(api, "api-4", "-o", dir.resolve("r.mp4").toString())).isEqualTo(1);
        }
        assertThat(console.err()).startsWith("outpaint get: job api-4 is RUNNING (30%); no result yet: "
                + "'outpaint wait api-4 -o FILE' follows it and saves the result").doesNotContain("submit");
        assertThat(console.err().lines()).hasSize(1);
    }

    @Test
    void aLongClipThatFailedWithASegmentSuggestsGeneratingThatSegmentAgain() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-long", FinishedJobs.segmentFailed("api-long"))) {
            assertThat(get(api, "api-long", "-o", dir.resolve("r.mp4").toString())).isEqualTo(1);
        }
        assertThat(console.err()).startsWith("outpaint get: job api-long ended FAILED: SEGMENT_FAILED: segment 2 of 3")
                .contains("; it has no result; 'outpaint retry-segment api-long 2' generates segment 2 again with a new seed,"
                        + " then joins the clip; 'outpaint wait api-long' follows it");
        assertThat(console.err().lines()).hasSize(1);
        assertThat(dir.resolve("r.mp4")).doesNotExist();
    }

    @Test
    void whatItSavesAndWhatItRefusesNameTheJobsFileAndPrompt() throws Exception {
        String named = "\"input\": {\"bucket\": \"b\", \"key\": \"inputs/x/Street_at_dusk.mp4\", \"name\": \"Street at dusk.mp4\"},"
                + " \"request\": {\"prompt\": \"a wide sunny street\"}, ";
        try (StubApi api = new StubApi()) {
            api.answer("GET", "/jobs/api-1", FinishedJobs.succeeded(api, "api-1").replaceFirst("\\{", "{" + named))
                    .answer("GET", "/results/api-1.mp4", FinishedJobs.RESULT)
                    .answer("GET", "/jobs/api-4", FinishedJobs.running("api-4").replaceFirst("\\{", "{" + named));

            assertThat(get(api, "api-1", "-o", dir.resolve("r.mp4").toString())).isZero();
            assertThat(console.out()).startsWith("Job api-1: Street at dusk.mp4 · \"a wide sunny street\", SUCCEEDED" + System.lineSeparator()
                    + "Saved " + dir.resolve("r.mp4").toAbsolutePath());

            assertThat(get(api, "api-4")).isEqualTo(1);
        }
        assertThat(console.err()).startsWith("outpaint get: job api-4 (Street at dusk.mp4 · \"a wide sunny street\") is RUNNING (30%)");
    }

    @Test
    void aLongClipJoinedAgainSaysWhichSegmentsWereGeneratedAgainBeforeItSaves() throws Exception {
        String retried = "\"segments\": {\"count\": 3, \"items\": [], \"retries\": [{\"segment\": 2, \"at\": \"2026-11-24T05:10:00Z\","
                + " \"jobId\": \"api-1-s002-a2\", \"previousJobId\": \"api-1-s002\", \"previousSeed\": 42, \"seed\": 7}]}, ";
        try (StubApi api = new StubApi()) {
            api.answer("GET", "/jobs/api-1", FinishedJobs.succeeded(api, "api-1").replaceFirst("\\{", "{" + retried))
                    .answer("GET", "/results/api-1.mp4", FinishedJobs.RESULT);

            assertThat(get(api, "api-1", "-o", dir.resolve("r.mp4").toString())).isZero();
        }
        List<String> lines = console.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Job api-1, SUCCEEDED");
        assertThat(lines.get(1)).isEqualTo("  segment 2 generated again:");
        assertThat(lines.get(2)).startsWith("    segment 2: seed 42 -> 7, 2026-11-24T05:10:00Z (");
        assertThat(lines.get(3)).startsWith("Saved " + dir.resolve("r.mp4").toAbsolutePath());
        assertThat(dir.resolve("r.mp4")).hasContent(FinishedJobs.RESULT);
    }

    @Test
    void anExistingFileIsRefusedWithExitTwoBeforeAnyCall() throws Exception {
        Path mine = Files.writeString(dir.resolve("mine.mp4"), "keep me");
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-1");

            assertThat(get(api, "api-1", "-o", mine.toString())).isEqualTo(2);

            assertThat(api.requests()).isEmpty();
        }
        assertThat(console.err().lines().findFirst()).hasValue("outpaint get: " + mine + " exists; add --force to replace it");
        assertThat(mine).hasContent("keep me");
    }

    @Test
    void forceReplacesTheFile() throws Exception {
        Path mine = Files.writeString(dir.resolve("mine.mp4"), "an older result");
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-1");

            assertThat(get(api, "api-1", "-o", mine.toString(), "--force")).isZero();
        }
        assertThat(mine).hasContent(FinishedJobs.RESULT);
        assertThat(console.out().lines().toList().get(1)).startsWith("Saved " + mine.toAbsolutePath());
    }

    @Test
    void intoAFolderAnEarlierDownloadOfTheSameJobIsReplacedAsBefore() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("results"));
        Path earlier = Files.writeString(folder.resolve("outpaint-api-1.mp4"), "partial, from before");
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-1");

            assertThat(get(api, "api-1", "-o", folder.toString())).isZero();
            assertThat(get(api, "api-1", "-o", folder + "/")).isZero();
        }
        assertThat(earlier).hasContent(FinishedJobs.RESULT);
        assertThat(console.err()).isEmpty();
    }
}
