package io.outpaint.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.config.PipelineConfig;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.store.InMemoryJobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handler as Lambda calls it: API Gateway's payload 2.0 as bytes in (with fields this code
 * does not model), the answer as bytes out in the shape API Gateway reads.
 */
class ApiHandlerStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiHandler handler;

    @BeforeAll
    static void build() {
        System.setProperty("aws.region", "us-east-1");
        PipelineConfig config = PipelineConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b"));
        handler = new ApiHandler(new PipelineServices(config, Clock.systemUTC(), null, new InMemoryJobStore(), null, null, null,
                null, null, null, null, null));
    }

    private static JsonNode call(String method, String path, Map<String, String> headers, String body, boolean base64) throws Exception {
        var event = JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default").put("rawPath", path)
                .put("rawQueryString", "").put("isBase64Encoded", base64).put("aFieldAddedLater", 7);
        event.set("headers", JSON.valueToTree(headers));
        var context = event.putObject("requestContext").put("requestId", "r-1").put("timeEpoch", 1795003200000L);
        context.putObject("http").put("method", method).put("path", path).put("sourceIp", "198.51.100.7");
        context.putObject("authorizer").putObject("iam").put("accessKey", "AKIDEXAMPLE").put("userArn", "arn:aws:iam::0:user/u")
                .putObject("cognitoIdentity").putArray("amr").add("authenticated");
        if (body != null) {
            event.put("body", body);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void theAnswerHasTheShapeApiGatewayReads() throws Exception {
        JsonNode answer = call("GET", "/jobs/api-absent", Map.of("accept", "application/json"), null, false);
        assertThat(answer.path("statusCode").asInt()).isEqualTo(404);
        assertThat(answer.path("headers").path("Content-Type").asText()).isEqualTo("application/json");
        assertThat(answer.path("isBase64Encoded").isBoolean()).isTrue();
        assertThat(answer.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(JSON.readTree(answer.path("body").asText()).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void theMethodThePathAndTheHeadersAreRead() throws Exception {
        JsonNode wrongMethod = call("GET", "/estimate", Map.of(), null, false);
        assertThat(wrongMethod.path("statusCode").asInt()).isEqualTo(405);
        assertThat(wrongMethod.path("headers").path("Allow").asText()).isEqualTo("POST");

        JsonNode noType = call("POST", "/jobs", Map.of(), "{}", false);
        assertThat(noType.path("statusCode").asInt()).isEqualTo(415);
        JsonNode typed = call("POST", "/jobs", Map.of("Content-Type", "application/json"), "{}", false);
        assertThat(typed.path("statusCode").asInt()).isEqualTo(400);
        assertThat(typed.path("body").asText()).contains("INVALID_REQUEST").contains("\"field\":\"video\"");
    }

    @Test
    void aBodyMarkedBase64IsDecoded() throws Exception {
        JsonNode notBase64 = call("POST", "/jobs", Map.of("content-type", "application/json"), "%%%", true);
        assertThat(notBase64.path("statusCode").asInt()).isEqualTo(400);
        assertThat(notBase64.path("body").asText()).contains("not valid base64 although marked so");

        String encoded = java.util.Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
        JsonNode decoded = call("POST", "/jobs", Map.of("content-type", "application/json"), encoded, true);
        assertThat(decoded.path("body").asText()).contains("INVALID_REQUEST").doesNotContain("INVALID_JSON");
    }
}
