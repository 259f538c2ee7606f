package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code wait JOB_ID [-o PATH] [--force]} against a stub API: it follows a job to its end, saves with -o, and exits as {@code submit --wait}. */
class WaitCommandTest {

    @TempDir Path dir;
    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    private int waitFor(StubApi api, String jobId, String... more) {
        String[] args = {"wait", jobId, "--endpoint", api.url(), "--api-key", "stub-key"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Outpaint.execute(all);
    }

    @Test
    void aJobThatSucceedsIsSavedWhereDashOSays() throws Exception {
        Path target = dir.resolve("out/wider.mp4");
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-1");

            assertThat(waitFor(api, "api-1", "-o", target.toString())).isZero();

            assertThat(api.requests()).containsExactly("GET /jobs/api-1", "GET /results/api-1.mp4");
        }
        assertThat(target).hasContent(FinishedJobs.RESULT);
        assertThat(console.out()).contains("Following job api-1 (Ctrl-C stops following, not the job)")
                .contains("Saved " + target.toAbsolutePath());
        assertThat(console.err()).isEmpty();
    }

    @Test
    void withoutDashOItSaysHowToDownloadTheResult() throws Exception {
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-1");

            assertThat(waitFor(api, "api-1")).isZero();

            assertThat(api.requests()).containsExactly("GET /jobs/api-1");
        }
        assertThat(console.out()).contains("Job api-1 SUCCEEDED; 'outpaint get api-1' downloads the result");
    }

    @Test
    void aJobThatFailsExitsOneWithItsEndingAsOneLineAndSavesNothing() throws Exception {
        Path target = dir.resolve("wider.mp4");
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-2", FinishedJobs.failed("api-2"))) {
            assertThat(waitFor(api, "api-2", "-o", target.toString())).isEqualTo(1);
        }
        assertThat(console.err()).isEqualTo("outpaint wait: job api-2 ended FAILED: SCENARIO_FAILED: the model gave up"
                + " (hint: try a shorter video)" + System.lineSeparator());
        assertThat(target).doesNotExist();
    }

    @Test
    void aLongClipThatFailedWithASegmentEndsWithTheRetryOfThatSegmentAsItsNextStep() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-long", FinishedJobs.segmentFailed("api-long"))) {
            assertThat(waitFor(api, "api-long")).isEqualTo(1);
        }
        assertThat(console.err()).startsWith("outpaint wait: job api-long ended FAILED: SEGMENT_FAILED: segment 2 of 3")
                .endsWith("; 'outpaint retry-segment api-long 2' generates segment 2 again with a new seed, then joins the clip;"
                        + " 'outpaint wait api-long' follows it" + System.lineSeparator());
    }

    @Test
    void anExistingFileIsRefusedBeforeAnyCallUnlessForced() throws Exception {
        Path mine = Files.writeString(dir.resolve("mine.mp4"), "keep me");
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-1");

            assertThat(waitFor(api, "api-1", "-o", mine.toString())).isEqualTo(2);
            assertThat(api.requests()).isEmpty();
            assertThat(console.err()).startsWith("outpaint wait: " + mine + " exists; add --force to replace it");
            assertThat(mine).hasContent("keep me");

            assertThat(waitFor(api, "api-1", "-o", mine.toString(), "--force")).isZero();
        }
        assertThat(mine).hasContent(FinishedJobs.RESULT);
    }

    @Test
    void aJobThatOutlastsTheWaitSaysItGoesOnAndHowToFollowItAgain() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-3", FinishedJobs.running("api-3"))) {
            assertThat(waitFor(api, "api-3", "--timeout-seconds", "1")).isEqualTo(1);
        }
        assertThat(console.err()).isEqualTo("outpaint wait: job api-3 had not ended after 1 s (--timeout-seconds); it goes on: "
                + "'outpaint wait api-3' follows it again, 'outpaint get api-3' downloads it once it SUCCEEDED (--debug shows more)"
                + System.lineSeparator());
    }

    @Test
    void noSuchJobIsTheApisAnswerInOneLineAtOnce() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-gone", 404,
                "{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"no job api-gone\"}}")) {
            assertThat(waitFor(api, "api-gone")).isEqualTo(1);

            assertThat(api.requests()).containsExactly("GET /jobs/api-gone");
        }
        assertThat(console.err()).isEqualTo("outpaint wait: no job api-gone (HTTP 404 NOT_FOUND)" + System.lineSeparator());
    }
}
