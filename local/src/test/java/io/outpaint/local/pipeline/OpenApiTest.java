package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.local.LocalPipeline;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI description, read by a real OpenAPI parser, against the routes the handler serves. */
class OpenApiTest {

    private static final Path SPEC = Path.of("..", "functions", "src", "main", "resources", "openapi.yaml");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPipeline pipeline;
    private static OpenAPI api;

    @BeforeAll
    static void start() throws Exception {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(Files.readString(SPEC), null, null);
        assertThat(parsed.getMessages()).isEmpty();
        api = parsed.getOpenAPI();
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger());
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static int status(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(pipeline.httpApi().url() + path))
                .header("x-api-key", pipeline.httpApi().apiKey()).header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void describesExactlyTheRoutesTheHandlerServes() throws Exception {
        assertThat(api.getPaths().keySet()).containsExactlyInAnyOrder("/jobs", "/jobs/{id}", "/jobs/{id}/cancel", "/jobs/{id}/segments/{n}/retry",
                "/uploads", "/estimate", "/usage");
        for (Map.Entry<String, PathItem> entry : api.getPaths().entrySet()) {
            String path = entry.getKey().replace("{id}", "api-not-there").replace("{n}", "1");
            Set<String> documented = entry.getValue().readOperationsMap().keySet().stream().map(Enum::name)
                    .collect(java.util.stream.Collectors.toSet());
            for (String method : Set.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                int status = status(method, path);
                if (documented.contains(method)) {
                    // served: a validation error or a missing job, never "no such route" or "not allowed"
                    assertThat(status).as(method + " " + path).isIn(200, 202, 400, 404);
                    assertThat(entry.getValue().readOperationsMap().values().stream()
                            .flatMap(o -> o.getResponses().keySet().stream())).as(method + " " + path).contains(Integer.toString(status));
                } else {
                    assertThat(status).as(method + " " + path).isEqualTo(405);
                }
            }
        }
        assertThat(status("GET", "/not-a-route")).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void documentsEveryModelInputWithItsDefault() {
        Map<String, io.swagger.v3.oas.models.media.Schema<Object>> inputs = (Map<String, io.swagger.v3.oas.models.media.Schema<Object>>)
                (Map<String, ?>) api.getComponents().getSchemas().get("ModelInputs").getProperties();
        assertThat(inputs.keySet()).containsExactlyInAnyOrderElementsOf(io.outpaint.request.OutpaintRequest.FIELDS);
        assertThat(inputs.get("numFrames").getMinimum()).isEqualByComparingTo("81");
        assertThat(inputs.get("numFrames").getMaximum()).isEqualByComparingTo("241");
        assertThat(inputs.get("resolution").getEnum()).containsExactly((Object) "720p", "580p", "480p");
    }
}
