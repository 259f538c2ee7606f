package io.outpaint.scenario;

import java.util.List;
import java.util.Optional;

/** One page of {@code GET /v1/jobs}, newest first. */
public record JobPage(List<ScenarioJob> jobs, Optional<String> nextPaginationToken) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
