package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "retry-segment", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Generates one segment of a long clip again with a new seed, then joins the clip again: for a segment you "
                + "do not like (the job SUCCEEDED), or the one that failed it (FAILED with SEGMENT_FAILED). The other segments' "
                + "generations are reused; the job's current video stays downloadable until the new join replaces it. "
                + "Follow it with 'outpaint wait JOB_ID'.")
final class RetrySegmentCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin ClientCommands.Endpoint endpoint;
    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The long clip's job (not one of its segments').") String jobId;
    @Parameters(index = "1", paramLabel = "N", description = "The segment's number, from 1, as 'outpaint status' and the console show it.")
    String n;
    @Option(names = "--seed", paramLabel = "SEED", description = "The new seed (an integer from 0 to 2^53-1, other than the segment's "
            + "current one); random when left out.") Long seed;
    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Makes a repeated retry answer the retry it started.")
    String idempotencyKey;
    @Option(names = "--json", description = "The API's JSON answer, as it is.") boolean json;

    @Override
    public Integer call() throws Exception {
        ApiClient api = endpoint.client();
        ObjectNode body = seed == null ? null : JSON.createObjectNode().put("seed", seed);
        ApiClient.Answer answer = api.post("/jobs/" + ApiClient.segment(jobId) + "/segments/" + ApiClient.segment(n) + "/retry", body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        if (json || !answer.ok()) {
            return ClientCommands.print(answer);
        }
        Outpaint.out.println(line(answer.body()));
        return 0;
    }

    /** What the retry started, in one line: the segment, its new job and seed, and what happens next. */
    static String line(JsonNode job) {
        JsonNode retry = job.path("retry");
        JsonNode also = retry.path("alsoQueued");
        StringBuilder line = new StringBuilder("Job ").append(job.path("jobId").asText()).append(": segment ")
                .append(retry.path("segment").asInt()).append(" of ").append(job.path("segments").path("count").asInt())
                .append(" is generated again as ").append(retry.path("jobId").asText()).append(" with seed ")
                .append(retry.path("seed").asLong()).append(" (was ").append(retry.path("previousSeed").asLong()).append(")");
        if (also.isArray() && !also.isEmpty()) {
            line.append("; queued again with it: ");
            for (int i = 0; i < also.size(); i++) {
                line.append(i == 0 ? "" : ", ").append(also.get(i).asText());
            }
        }
        return line.append("; then the clip is joined again (its current video stays until then). Follow it: outpaint wait ")
                .append(job.path("jobId").asText()).toString();
    }
}
