package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    @Test
    void printsOneLineAJobWithItsAgeTheOutputOfAJobThatSucceededAndTheTokenForMore() throws Exception {
        var page = new ObjectMapper().readTree("""
                {"jobs": [
                  {"jobId": "api-3", "status": "SUCCEEDED", "progress": 1.0, "createdAt": "2026-11-24T04:59:00Z"},
                  {"jobId": "api-2", "status": "RUNNING", "progress": 0.42, "createdAt": "2026-11-24T05:00:00Z"},
                  {"jobId": "api-1", "status": "FAILED", "progress": 0.0, "createdAt": "2026-11-24T03:59:30Z"}],
                 "nextToken": "abc"}
                """);
        try (StubApi api = new StubApi().answer("GET", "/jobs/api-3", """
                {"jobId": "api-3", "status": "SUCCEEDED",
                 "outputs": [{"bucket": "outpaint-local", "key": "outputs/api-3/asset_1.mp4", "bytes": 10}]}
                """)) {

            String table = ListCommand.table(page, api.client(), Instant.parse("2026-11-24T05:00:45Z"));

            assertThat(table.lines().toList()).containsExactly(
                    String.format("%-44s %-16s %8s %6s  %s", "JOB", "STATUS", "PROGRESS", "AGE", "OUTPUT"),
                    String.format("%-44s %-16s %7d%% %6s  %s", "api-3", "SUCCEEDED", 100, "1m", "s3://outpaint-local/outputs/api-3/asset_1.mp4"),
                    String.format("%-44s %-16s %7d%% %6s  ", "api-2", "RUNNING", 42, "45s"),
                    String.format("%-44s %-16s %7d%% %6s  ", "api-1", "FAILED", 0, "1h"),
                    "more: --next-token abc");
        }
    }

    @Test
    void saysSoWhenThereAreNoJobs() throws Exception {
        var page = new ObjectMapper().readTree("{\"jobs\": []}");
        try (StubApi api = new StubApi()) {
            assertThat(ListCommand.table(page, api.client(), Instant.now())).endsWith("(no jobs)" + System.lineSeparator());
        }
    }
}
