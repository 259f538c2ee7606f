package io.outpaint.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /v1/jobs}: newest first, paged. {@code hideResults} has an undocumented default; the
 * simulator takes the unhelpful one, so only a caller that sends {@code hideResults=false} sees
 * each job's echoed input and its asset ids.
 */
final class JobList {

    private JobList() {}

    static void handle(Exchange ex, ScenarioState state) throws IOException {
        int pageSize;
        try {
            pageSize = Integer.parseInt(ex.query.getOrDefault("pageSize", "50"));
        } catch (NumberFormatException e) {
            pageSize = -1;
        }
        if (pageSize < 1 || pageSize > 200) {
            ex.error(400, "pageSize must be an integer from 1 to 200");
            return;
        }
        String hide = ex.query.getOrDefault("hideResults", "true");
        if (!hide.equals("true") && !hide.equals("false")) {
            ex.error(400, "hideResults must be true or false");
            return;
        }
        String status = ex.query.get("status");
        int offset;
        try {
            offset = ex.query.containsKey("paginationToken") ? Integer.parseInt(new String(
                    Base64.getUrlDecoder().decode(ex.query.get("paginationToken")), StandardCharsets.UTF_8)) : 0;
        } catch (IllegalArgumentException e) {
            ex.error(400, "paginationToken is not one this API gave");
            return;
        }
        List<SimulatedJob> matching = state.jobsNewestFirst().stream()
                .filter(j -> status == null || List.of(status.split(",")).contains(j.phaseAt(state.now()).status()))
                .toList();
        ArrayNode page = Exchange.JSON.createArrayNode();
        matching.stream().skip(offset).limit(pageSize).forEach(j -> {
            ObjectNode job = Exchange.JSON.valueToTree(Views.job(j, state));
            if (hide.equals("true")) {
                ObjectNode metadata = (ObjectNode) job.path("metadata");
                metadata.remove("input");
                metadata.remove("assetIds");
            }
            page.add(job);
        });
        ObjectNode answer = Exchange.JSON.createObjectNode();
        answer.set("jobs", page);
        if (offset + pageSize < matching.size()) {
            answer.put("nextPaginationToken", Base64.getUrlEncoder().encodeToString(
                    Integer.toString(offset + pageSize).getBytes(StandardCharsets.UTF_8)));
        }
        ex.json(200, answer);
    }
}
