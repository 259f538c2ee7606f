package io.outpaint.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.outpaint.config.PipelineConfig;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.JobStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When something inside breaks, the API answers 500 with a reference, never a stack trace or an internal name;
 * a bad body is refused before anything inside is reached.
 */
class ApiHandlerErrorsTest {

    private static ApiHandler handler;

    @BeforeAll
    static void build() {
        System.setProperty("aws.region", "us-east-1");
        JobStore broken = new JobStore() {
            @Override public boolean create(Job job) { throw new IllegalStateException("table io.outpaint.secret-table unreachable"); }
            @Override public Optional<Job> find(String jobId) { throw new IllegalStateException("table io.outpaint.secret-table unreachable"); }
            @Override public Job update(String jobId, UnaryOperator<Job> change) { throw new IllegalStateException("unreachable"); }
            @Override public Page list(Optional<JobStatus> status, int limit, Optional<String> token) { throw new IllegalStateException("unreachable"); }
            @Override public java.util.List<Job> waiting(int limit) { throw new IllegalStateException("unreachable"); }
            @Override public long waitingAhead(Job job) { throw new IllegalStateException("unreachable"); }
        };
        PipelineConfig config = PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b"));
        handler = new ApiHandler(new PipelineServices(config, Clock.systemUTC(), null, broken, null, null, null, null, null, null, null, null));
    }

    @Test
    void answers500WithAReferenceAndNothingInternal() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRawPath("/jobs/api-1")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build()).build())
                .build();
        APIGatewayV2HTTPResponse response = handler.handle(event, null);
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).contains("\"code\":\"INTERNAL_ERROR\"").contains("reference")
                .doesNotContain("secret-table").doesNotContain("IllegalStateException").doesNotContain("io.outpaint");
    }

    @Test
    void refusesAnUnknownFieldOfAnUploadWith400NamingIt() throws Exception {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRawPath("/uploads")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"x\":1}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build()).build())
                .build();
        APIGatewayV2HTTPResponse response = handler.handle(event, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String message = "x: unknown field; the fields of the body are contentType, fileName";
        assertThat(json.readTree(response.getBody())).isEqualTo(json.readTree(("{'error':{'code':'INVALID_REQUEST','message':'invalid request: "
                + message + "','fields':[{'field':'x','message':'" + message + "'}]}}").replace('\'', '"')));
    }
}
