package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@code cancel} says of a job: true for the state it was canceled in, since only a job Scenario was sent can be billed. */
class CancelCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    /** The record after a cancel: its history through {@code statuses}, then CANCELED. */
    private static String canceledAfter(String scenario, String... statuses) {
        StringBuilder history = new StringBuilder();
        for (String status : statuses) {
            history.append("{\"status\": \"").append(status).append("\", \"at\": \"2026-12-06T10:00:00Z\"}, ");
        }
        return """
                {"jobId": "api-9", "status": "CANCELED", %s
                 "history": [%s{"status": "CANCELED", "at": "2026-12-06T10:01:00Z", "note": "canceled through the API"}]}"""
                .formatted(scenario, history);
    }

    @Test
    void aJobStillWaitingForASlotNeverReachedScenarioAndIsNotBilled() throws Exception {
        assertThat(CancelCommand.line(JSON.readTree(canceledAfter("", "QUEUED", "WAITING_FOR_SLOT"))))
                .isEqualTo("Job api-9 canceled while WAITING_FOR_SLOT; it never reached Scenario: nothing is billed");
        assertThat(CancelCommand.line(JSON.readTree(canceledAfter("", "QUEUED"))))
                .isEqualTo("Job api-9 canceled while QUEUED; it never reached Scenario: nothing is billed");
    }

    @Test
    void aJobStoppedBeforeItsSubmitIsNotBilled() throws Exception {
        assertThat(CancelCommand.line(JSON.readTree(canceledAfter("", "QUEUED", "WAITING_FOR_SLOT", "ADMITTED", "UPLOADING"))))
                .isEqualTo("Job api-9 canceled while UPLOADING; it was stopped before Scenario was asked to generate: nothing is billed");
    }

    @Test
    void aJobScenarioWasSentMayStillBeFinishedAndBilledThere() throws Exception {
        assertThat(CancelCommand.line(JSON.readTree(canceledAfter("\"scenario\": {\"jobId\": \"sc-1\"},",
                "QUEUED", "WAITING_FOR_SLOT", "ADMITTED", "UPLOADING", "SUBMITTING", "SUBMITTED", "RUNNING"))))
                .isEqualTo("Job api-9 canceled while RUNNING; Scenario may still finish it and bill it (it cannot cancel a job it was sent),"
                        + " and its result will not be copied");
        // SUBMITTING: the generate call may have gone out before Scenario's job id was recorded
        assertThat(CancelCommand.line(JSON.readTree(canceledAfter("", "QUEUED", "ADMITTED", "UPLOADING", "SUBMITTING"))))
                .startsWith("Job api-9 canceled while SUBMITTING; Scenario may still finish it and bill it");
    }

    @Test
    void theCommandReadsTheRecordBackAndPrintsOneLine() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs/api-9/cancel", "{\"jobId\": \"api-9\", \"status\": \"CANCELED\", "
                        + "\"note\": \"canceled here; Scenario cannot cancel custom-model jobs, so its job may still finish and be billed\"}")
                .answer("GET", "/jobs/api-9", canceledAfter("", "QUEUED", "WAITING_FOR_SLOT"))) {
            assertThat(Outpaint.execute("cancel", "api-9", "--endpoint", api.url(), "--api-key", "k")).isZero();

            assertThat(api.requests()).containsExactly("POST /jobs/api-9/cancel", "GET /jobs/api-9");
        }
        assertThat(console.out()).isEqualTo("Job api-9 canceled while WAITING_FOR_SLOT; it never reached Scenario: nothing is billed"
                + System.lineSeparator());
        assertThat(console.err()).isEmpty();
    }

    @Test
    void aJobThatHasEndedIsTheApisRefusalInOneLine() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs/api-9/cancel", 409,
                "{\"error\": {\"code\": \"ALREADY_ENDED\", \"message\": \"job api-9 has ended already: SUCCEEDED\"}}")) {
            assertThat(Outpaint.execute("cancel", "api-9", "--endpoint", api.url(), "--api-key", "k")).isEqualTo(1);
        }
        assertThat(console.err()).isEqualTo("outpaint cancel: job api-9 has ended already: SUCCEEDED (HTTP 409 ALREADY_ENDED)"
                + System.lineSeparator());
    }
}
