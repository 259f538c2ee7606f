package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    @Test
    void printsOneLineAJobWithItsAgeItsFilesNameAndThePromptsStartAndTheTokenForMore() throws Exception {
        var page = new ObjectMapper().readTree("""
                {"jobs": [
                  {"jobId": "api-3", "status": "SUCCEEDED", "progress": 1.0, "createdAt": "2026-11-24T04:59:00Z",
                   "input": {"bucket": "outpaint-local", "key": "inputs/api-3/Street_at_dusk.mp4", "name": "Street at dusk.mp4"},
                   "request": {"prompt": "a wide sunny street that goes on and on past the old harbour wall\\nsecond line"}},
                  {"jobId": "s3-2", "status": "WAITING_FOR_SLOT", "progress": 0.42, "createdAt": "2026-11-24T05:00:00Z",
                   "input": {"bucket": "outpaint-local", "key": "inputs/holiday/beach.webm"}, "request": {"prompt": "a beach"}},
                  {"jobId": "api-1", "status": "FAILED", "progress": 0.0, "createdAt": "2026-11-24T03:59:30Z"}],
                 "nextToken": "abc"}
                """);

        String table = ListCommand.table(page, Instant.parse("2026-11-24T05:00:45Z"));

        assertThat(table.lines().toList()).containsExactly(
                String.format("%-44s %-18s %8s %6s  %s", "JOB", "STATUS", "PROGRESS", "AGE", "INPUT"),
                String.format("%-44s %-18s %7d%% %6s  %s", "api-3", "SUCCEEDED", 100, "1m",
                        "Street at dusk.mp4 · \"a wide sunny street that goes on and on…\""),
                // a record without a name shows its key's last part
                String.format("%-44s %-18s %7d%% %6s  %s", "s3-2", "WAITING_FOR_SLOT", 42, "45s", "beach.webm · \"a beach\""),
                String.format("%-44s %-18s %7d%% %6s", "api-1", "FAILED", 0, "1h"),
                "more: --next-token abc");
    }

    @Test
    void saysSoWhenThereAreNoJobs() throws Exception {
        var page = new ObjectMapper().readTree("{\"jobs\": []}");
        assertThat(ListCommand.table(page, Instant.now())).endsWith("(no jobs)" + System.lineSeparator());
    }

    @Test
    void aNameOrPromptCannotMoveTheTerminalsCursor() throws Exception {
        var page = new ObjectMapper().readTree("""
                {"jobs": [{"jobId": "api-9", "status": "QUEUED", "progress": 0, "createdAt": "2026-11-24T05:00:00Z",
                   "input": {"key": "inputs/x.mp4", "name": "a\\u001b[2Jb.mp4"}, "request": {"prompt": "c\\rd"}}]}
                """);
        assertThat(ListCommand.table(page, Instant.parse("2026-11-24T05:00:00Z"))).contains("a?[2Jb.mp4 · \"c\"").doesNotContain("\u001b");
    }
}
