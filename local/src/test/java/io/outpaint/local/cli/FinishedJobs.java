package io.outpaint.local.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Job records as the API answers {@code GET /jobs/{id}}, with a result the stub serves at {@code /results/<jobId>.mp4}. */
final class FinishedJobs {

    static final String RESULT = "the outpainted video's bytes";

    private FinishedJobs() {}

    static String succeeded(StubApi api, String jobId) {
        return """
                {"jobId": "%s", "status": "SUCCEEDED", "progress": 1.0,
                 "outputs": [{"bucket": "outpaint-local", "key": "outputs/%s/result.mp4", "url": "%s/results/%s.mp4",
                              "bytes": %d, "sha256": "%s"}]}""".formatted(jobId, jobId, api.url(), jobId,
                RESULT.getBytes(StandardCharsets.UTF_8).length, sha256(RESULT));
    }

    /** {@code GET /jobs/<jobId>} answers the succeeded job and its result is served. */
    static StubApi serving(StubApi api, String jobId) {
        return api.answer("GET", "/jobs/" + jobId, succeeded(api, jobId)).answer("GET", "/results/" + jobId + ".mp4", RESULT);
    }

    static String running(String jobId) {
        return "{\"jobId\": \"" + jobId + "\", \"status\": \"RUNNING\", \"progress\": 0.3}";
    }

    /**
     * A long clip that FAILED because segment 2 of 3 failed twice, as the API shows it: its segment 3 taken out of the
     * queue (CANCELED), segment 1 generated.
     */
    static String segmentFailed(String jobId) {
        return """
                {"jobId": "%1$s", "status": "FAILED", "progress": 0.3,
                 "error": {"code": "SEGMENT_FAILED", "message": "segment 2 of 3 (%1$s-s002-a2) failed 2 times: SCENARIO_FAILED: the model gave up",
                           "hint": "its other segments are taken out of the queue; the segment's record holds Scenario's answer",
                           "segment": 2},
                 "segments": {"count": 3, "succeeded": 1, "overlapFrames": 8,
                              "items": [{"index": 0, "jobId": "%1$s-s001", "attempt": 1, "status": "SUCCEEDED"},
                                        {"index": 1, "jobId": "%1$s-s002-a2", "attempt": 2, "status": "FAILED"},
                                        {"index": 2, "jobId": "%1$s-s003", "attempt": 1, "status": "CANCELED"}]},
                 "outputs": []}""".formatted(jobId);
    }

    static String failed(String jobId) {
        return """
                {"jobId": "%s", "status": "FAILED", "progress": 0.5,
                 "error": {"code": "SCENARIO_FAILED", "message": "the model gave up", "hint": "try a shorter video"}}""".formatted(jobId);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
