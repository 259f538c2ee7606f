package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /v1/generate/custom/{modelId}}: validation, dry runs, the plan limit and job creation. */
final class Generate {

    private Generate() {}

    static void handle(Exchange ex, String modelId, ScenarioSimulator simulator, ScenarioState state) throws IOException {
        if (!modelId.equals(ModelInputs.MODEL_ID)) {
            ex.error(404, "Model " + modelId + " not found");
            return;
        }
        if (simulator.faults().modelForbidden()) {
            ex.json(403, Map.of("reason", "Your plan does not include " + modelId + "; upgrade to the Pro plan"));
            return;
        }
        JsonNode body = ex.jsonBody();
        List<String> problems = ModelInputs.problems(body);
        if (problems.isEmpty()) {
            String videoId = body.path("videoUrl").asText();
            Optional<ScenarioState.Asset> video = state.asset(videoId);
            if (video.isEmpty() || !video.get().mimeType().startsWith("video/")) {
                problems = List.of("videoUrl " + videoId + " is not a video asset of this project");
            }
        }
        if (!problems.isEmpty()) {
            ex.error(400, String.join("; ", problems));
            return;
        }
        int cost = state.cost(body);
        if ("true".equals(ex.query.get("dryRun"))) {
            ex.json(200, Map.of("creativeUnitsCost", cost));
            return;
        }
        Faults faults = simulator.faults();
        boolean fails = faults.takeFailingJob();
        Duration duration = simulator.durationByFrames() ? ScenarioSimulator.durationFor(simulator.jobDuration(), state.frames(body))
                : simulator.jobDuration();
        Optional<SimulatedJob> job = state.createJob((ObjectNode) body, duration,
                faults.parallelJobLimit(), faults.stuckJobs(), simulator.skipsOptionalStages(),
                fails ? faults.jobError() : null, fails ? faults.jobHint() : null);
        if (job.isEmpty()) {
            // as seen from Scenario: the action and its limit in details, how long to wait at the top level
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("reason", "PlanLimitReachedError: your plan allows " + faults.parallelJobLimit()
                    + " custom jobs at once");
            answer.put("details", Map.of("actionName", "parallel-custom-jobs", "actionLimit", faults.parallelJobLimit()));
            answer.put("remainingSeconds", state.secondsUntilASlotFrees());
            ex.json(429, answer);
            return;
        }
        if (faults.takeLostGenerateAnswer()) {
            simulator.countFault();
            throw new Api.DroppedConnection();
        }
        ex.json(200, Map.of("job", Views.job(job.get(), state), "creativeUnitsCost", cost));
        // after the answer, so the render's start-up adds nothing to the submission's latency
        state.startRendering(job.get());
    }
}
