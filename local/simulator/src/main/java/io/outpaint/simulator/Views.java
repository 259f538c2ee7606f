package io.outpaint.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes Scenario answers with. */
final class Views {

    private Views() {}

    static Map<String, Object> upload(ScenarioState.Upload upload, List<Map<String, Object>> parts) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", upload.id);
        view.put("status", upload.status);
        view.put("fileName", upload.fileName);
        view.put("contentType", upload.contentType);
        view.put("kind", "video");
        view.put("source", "multipart");
        view.put("fileSize", upload.fileSize);
        view.put("partsCount", upload.parts);
        if (!parts.isEmpty()) {
            view.put("parts", parts);
        }
        view.put("jobId", "job_import_" + upload.id.substring("upload_".length()));
        view.put("createdAt", upload.createdAt.toString());
        if (upload.entityId != null) {
            view.put("entityId", upload.entityId);
        }
        if (upload.errorMessage != null) {
            view.put("errorMessage", upload.errorMessage);
        }
        return view;
    }

    static Map<String, Object> job(SimulatedJob job, ScenarioState state) {
        var now = state.now();
        SimulatedJob.Phase phase = job.phaseAt(now);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("input", job.input);
        metadata.put("assetIds", job.assetIds());
        if (phase.status().equals("failure")) {
            metadata.put("error", job.error);
            metadata.put("hint", job.hint);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("jobId", job.id);
        view.put("jobType", "custom");
        view.put("status", phase.status());
        view.put("progress", phase.progress());
        view.put("metadata", metadata);
        view.put("statusHistory", job.history(now).stream()
                .map(p -> Map.of("status", p.status(), "date", p.since().toString())).toList());
        view.put("createdAt", job.createdAt.toString());
        view.put("updatedAt", phase.since().toString());
        view.put("ownerId", "owner_simulator");
        view.put("authorId", "user_simulator");
        view.put("billing", Map.of("cuCost", state.cost(job.input), "cuDiscount", 0, "disableRefund", false));
        return view;
    }

    static Map<String, Object> asset(ScenarioState.Asset asset, String url) {
        var video = asset.video();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("width", video.width());
        properties.put("height", video.height());
        properties.put("duration", video.durationSeconds());
        properties.put("frameRate", video.framesPerSecond());
        properties.put("nbFrames", video.frames());
        properties.put("codecName", "h264");
        properties.put("bitrate", video.durationSeconds() > 0 ? (long) (asset.size() * 8 / video.durationSeconds()) : 0);
        properties.put("size", asset.size());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", asset.id());
        view.put("url", url);
        view.put("mimeType", asset.mimeType());
        view.put("kind", "video");
        view.put("status", "success");
        view.put("properties", properties);
        view.put("metadata", Map.of("kind", "video", "name", asset.name()));
        return view;
    }
}
