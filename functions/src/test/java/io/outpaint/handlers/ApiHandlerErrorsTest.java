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

    private static APIGatewayV2HTTPResponse send(String method, String path, byte[] body) {
        APIGatewayV2HTTPEvent.APIGatewayV2HTTPEventBuilder event = APIGatewayV2HTTPEvent.builder().withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build()).build());
        if (body != null) {
            event.withBody(java.util.Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true);
        }
        return handler.handle(event.build(), null);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "an overlong '/' (C0 AF)|7b2270726f6d7074223a2261c0af62227d|an overlong form at byte 12",
            "an overlong 'A' in three bytes|7b2270726f6d7074223a22e08181227d|an overlong form at byte 11",
            "an overlong NUL (C0 80)|7b2270726f6d7074223a22c080227d|an overlong form at byte 11",
            "UTF-16LE with its byte-order mark|fffe7b002200700022003a00220070002200|UTF-16 byte-order mark",
            "UTF-16BE without a byte-order mark|007b002200700022003a00220070002200|a NUL byte at byte 0",
            "a surrogate as UTF-8 (CESU-8)|7b2270726f6d7074223a22eda080227d|surrogate",
            "a character cut short|7b2270726f6d7074223a22e282|cut short",
            "above U+10FFFF|7b2270726f6d7074223a22f4908080227d|above U+10FFFF"})
    void refusesABodyThatIsNotUtf8NamingTheProblemBeforeAnythingInside(String name, String hex, String problem) throws Exception {
        APIGatewayV2HTTPResponse response = send("POST", "/jobs", java.util.HexFormat.of().parseHex(hex));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("INVALID_ENCODING");
        assertThat(error.path("message").asText()).startsWith("the body is not UTF-8: ").contains(problem);
    }

    @Test
    void takesUtf8WithMultiByteCharactersAsFarAsTheChecksOfItsFields() throws Exception {
        // the store is broken: a body that passed the encoding and the fields would reach it and answer 500
        APIGatewayV2HTTPResponse response = send("POST", "/jobs",
                "{\"video\":{\"key\":\"inputs/caf\u00e9.mp4\"},\"request\":{\"prompt\":\"\u00e9t\u00e9 \ud83c\udf05\",\"x\":1}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getBody()).contains("INVALID_REQUEST").contains("request.x");
    }

    @Test
    void echoesALongIdOrPathCutTo64CharactersWithAnEllipsis() throws Exception {
        String id = "a".repeat(100_000);
        for (String path : new String[] {"/jobs/" + id, "/jobs/" + id + "/cancel", "/" + id}) {
            APIGatewayV2HTTPResponse response = send(path.endsWith("cancel") ? "POST" : "GET", path, null);
            assertThat(response.getStatusCode()).as(path.substring(0, 20)).isEqualTo(404);
            String message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody()).path("error").path("message").asText();
            assertThat(message).contains("a".repeat(50) + "\u2026").doesNotContain("a".repeat(65));
            assertThat(response.getBody().length()).isLessThan(400);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"GET,//jobs,404", "GET,/jobs/%zz,404", "GET,/,404", "GET,/jobs/,404", "BREW,/jobs,405",
            "DELETE,/jobs/api-1,405", "PUT,/estimate,405", "OPTIONS,/uploads,405", "GET,/jobs/api-1/cancel,405"})
    void answersEveryUnknownPathAndMethodInTheErrorShape(String method, String path, int status) throws Exception {
        APIGatewayV2HTTPResponse response = send(method, path, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(status == 404 ? "NOT_FOUND" : "METHOD_NOT_ALLOWED");
        assertThat(error.path("fields").isArray()).isTrue();
    }
}
