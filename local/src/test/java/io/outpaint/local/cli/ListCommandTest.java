package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    @Test
    void printsOneLineAJobWithItsAgeAndTheTokenForMore() throws Exception {
        var page = new ObjectMapper().readTree("""
                {"jobs": [
                  {"jobId": "api-2", "status": "RUNNING", "progress": 0.42, "createdAt": "2026-11-24T05:00:00Z"},
                  {"jobId": "api-1", "status": "FAILED", "progress": 0.0, "createdAt": "2026-11-24T03:59:30Z"}],
                 "nextToken": "abc"}
                """);

        String table = ListCommand.table(page, null, Instant.parse("2026-11-24T05:00:45Z"));

        assertThat(table.lines().toList()).containsExactly(
                String.format("%-44s %-16s %8s %6s  %s", "JOB", "STATUS", "PROGRESS", "AGE", "OUTPUT"),
                String.format("%-44s %-16s %7d%% %6s  ", "api-2", "RUNNING", 42, "45s"),
                String.format("%-44s %-16s %7d%% %6s  ", "api-1", "FAILED", 0, "1h"),
                "more: --next-token abc");
    }

    @Test
    void saysSoWhenThereAreNoJobs() throws Exception {
        var page = new ObjectMapper().readTree("{\"jobs\": []}");
        assertThat(ListCommand.table(page, null, Instant.now())).endsWith("(no jobs)" + System.lineSeparator());
    }
}
