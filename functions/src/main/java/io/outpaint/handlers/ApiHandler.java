package io.outpaint.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.api.ApiError;
import io.outpaint.api.JobsApi;
import io.outpaint.pipeline.Lazy;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingContext;
import io.outpaint.priming.PrimingHook;
import io.outpaint.priming.PrimingServices;
import io.outpaint.priming.PrimingSteps;
import io.outpaint.request.StrictJson;
import io.outpaint.request.StrictUtf8;
import io.outpaint.request.TextRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The HTTP API (API Gateway HTTP API, payload 2.0): routes to {@link JobsApi}, answers errors as typed JSON.
 *
 * <p>A stream handler that reads the event and writes the answer with the Jackson the function
 * already holds: as a typed {@code RequestHandler}, Lambda's runtime would load its own shaded
 * Jackson and serializers for the event types (about 800 classes) on every cold start.
 */
public final class ApiHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    /** The largest body taken; the local HTTP API stops reading at the same size. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** API Gateway's payload 2.0 as aws-lambda-java-events models it; fields it adds later are passed over. */
    private static final ObjectReader EVENT = JSON.readerFor(APIGatewayV2HTTPEvent.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern JOB = Pattern.compile("/jobs/([^/]+)");
    private static final Pattern CANCEL = Pattern.compile("/jobs/([^/]+)/cancel");
    private static final Pattern RETRY_SEGMENT = Pattern.compile("/jobs/([^/]+)/segments/([^/]+)/retry");

    private final JobsApi api;
    private final io.outpaint.api.UsageApi usage;
    private final Lazy<S3Presigner> presigner;

    public ApiHandler() {
        this(PipelineServices.shared(), Priming.global());
    }

    public ApiHandler(PipelineServices services) {
        this(services, Lazy.of(() -> S3Presigner.builder().serviceConfiguration(S3Configuration.builder()
                .pathStyleAccessEnabled(services.config().s3PathStyle()).build()).build()));
    }

    private ApiHandler(PipelineServices services, Lazy<S3Presigner> presigner) {
        this.presigner = presigner;
        this.api = new JobsApi(services, presigner);
        this.usage = new io.outpaint.api.UsageApi(services.budgets(), services.clock());
    }

    /** As Lambda builds it: a create request's validation, a presigned URL, reads through the routes and a GET rehearsed over {@code PrimingServices}, primed for SnapStart. */
    public ApiHandler(PipelineServices services, Priming priming) {
        this(services);
        PipelineFunction function = PipelineFunction.API;
        List<PrimingHook.Step> steps = new ArrayList<>();
        steps.add(PrimingSteps.requestValidation());
        steps.addAll(PrimingSteps.common(function, services));
        steps.add(new PrimingHook.Step("presign an upload URL", () -> presigner.get().presignPutObject(p -> p
                .signatureDuration(java.time.Duration.ofMinutes(1))
                .putObjectRequest(r -> r.bucket(services.config().bucket()).key(PrimingSteps.ABSENT_INPUT)))));
        steps.add(new PrimingHook.Step("GET /jobs/{id} of an absent job through the routes", () -> {
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setRawPath("/jobs/" + PrimingSteps.ABSENT_JOB);
            event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build()).build());
            handle(event, new PrimingContext(function.id()));
        }));
        steps.add(new PrimingHook.Step("POST /jobs of a video that does not exist through the routes, refused before any write", () -> {
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setRawPath("/jobs");
            event.setHeaders(java.util.Map.of("content-type", "application/json"));
            // a key the API accepts (no dot segment), so the request gets as far as looking the video up; a fresh UUID names no upload
            String absent = io.outpaint.media.InputVideos.PREFIX + "outpaint-priming-" + java.util.UUID.randomUUID() + ".mp4";
            event.setBody("{\"video\":{\"key\":\"" + absent + "\"},\"request\":" + PrimingSteps.SAMPLE_REQUEST + "}");
            event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build()).build());
            APIGatewayV2HTTPResponse answer = handle(event, new PrimingContext(function.id()));
            if (answer.getStatusCode() < 400 || answer.getStatusCode() >= 500) {
                throw new IllegalStateException("POST /jobs of an absent video answered " + answer.getStatusCode() + ": " + answer.getBody());
            }
        }));
        steps.add(new PrimingHook.Step("an event read and an answer written as Lambda passes them", () -> {
            String event = "{\"version\":\"2.0\",\"rawPath\":\"/jobs/" + PrimingSteps.ABSENT_JOB + "\",\"headers\":{\"accept\":\"*/*\"},"
                    + "\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/jobs\"},\"timeEpoch\":0},\"isBase64Encoded\":false}";
            handleRequest(new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), OutputStream.nullOutputStream(),
                    new PrimingContext(function.id()));
        }));
        steps.add(new PrimingHook.Step("GET /jobs/{id} of a job that has ended, its result's URL presigned" + PrimingServices.OVER, () -> {
            // this handler's own presigner: presigning is a signature made here, with nothing sent
            ApiHandler rehearsal = new ApiHandler(PrimingServices.over(services, PrimingServices.sampleJob(function, services.clock().instant())),
                    presigner);
            String event = "{\"version\":\"2.0\",\"rawPath\":\"/jobs/" + PrimingSteps.ABSENT_JOB + "\",\"headers\":{\"accept\":\"*/*\"},"
                    + "\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/jobs\"},\"timeEpoch\":0},\"isBase64Encoded\":false}";
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            rehearsal.handleRequest(new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), answer,
                    new PrimingContext(function.id()));
            int status = JSON.readTree(answer.toByteArray()).path("statusCode").asInt();
            if (status != 200) {
                throw new IllegalStateException("GET of the priming's own job answered " + status);
            }
        }));
        priming.register(function.id(), steps);
    }

    /** Reads API Gateway's event, answers it as API Gateway reads a payload 2.0 answer. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayV2HTTPEvent event = EVENT.readValue(input);
        APIGatewayV2HTTPResponse response = handle(event, context);
        ObjectNode answer = JSON.createObjectNode().put("statusCode", response.getStatusCode());
        answer.set("headers", JSON.valueToTree(response.getHeaders()));
        answer.put("body", response.getBody());
        answer.put("isBase64Encoded", response.getIsBase64Encoded());
        JSON.writeValue(output, answer);
    }

    /** The answer to one event. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            String method = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? ""
                    : event.getRequestContext().getHttp().getMethod();
            String path = Optional.ofNullable(event.getRawPath()).orElse("/");
            MDC.put("route", method + " " + path);
            try {
                JobsApi.Answer answer = route(method, path, event);
                return respond(answer.status(), answer.body(), Map.of());
            } catch (ApiError e) {
                return error(e, e.status() == 405 ? Map.of("Allow", e.getMessage().replaceAll(".*allowed: ", "")) : Map.of());
            } catch (RuntimeException e) {
                LOG.error("request failed", e);
                String reference = context == null ? "unknown" : context.getAwsRequestId();
                return error(new ApiError(500, "INTERNAL_ERROR", "the request failed; reference " + reference), Map.of());
            } finally {
                MDC.clear();
            }
        });
    }

    private JobsApi.Answer route(String method, String path, APIGatewayV2HTTPEvent event) {
        Matcher m;
        if (path.equals("/jobs")) {
            return switch (method) {
                case "POST" -> api.create(body(event), header(event, "idempotency-key"));
                case "GET" -> api.list(Optional.ofNullable(event.getQueryStringParameters()).orElse(Map.of()));
                default -> throw notAllowed("GET, POST");
            };
        }
        if (path.equals("/estimate")) {
            if (!method.equals("POST")) {
                throw notAllowed("POST");
            }
            return api.estimate(body(event));
        }
        if (path.equals("/uploads")) {
            if (!method.equals("POST")) {
                throw notAllowed("POST");
            }
            return api.stage(body(event));
        }
        if (path.equals("/usage")) {
            if (!method.equals("GET")) {
                throw notAllowed("GET");
            }
            return usage.usage(Optional.ofNullable(event.getQueryStringParameters()).orElse(Map.of()));
        }
        if ((m = CANCEL.matcher(path)).matches()) {
            if (!method.equals("POST")) {
                throw notAllowed("POST");
            }
            return api.cancel(m.group(1));
        }
        if ((m = RETRY_SEGMENT.matcher(path)).matches()) {
            if (!method.equals("POST")) {
                throw notAllowed("POST");
            }
            return api.retrySegment(m.group(1), m.group(2), optionalBody(event), header(event, "idempotency-key"));
        }
        if ((m = JOB.matcher(path)).matches()) {
            if (!method.equals("GET")) {
                throw notAllowed("GET");
            }
            return api.get(m.group(1));
        }
        throw new ApiError(404, "NOT_FOUND", "no route " + TextRules.echoed(path) + "; the routes are /jobs, /jobs/{id}, /jobs/{id}/cancel, /jobs/{id}/segments/{n}/retry, /uploads, /estimate and /usage");
    }

    private static ApiError notAllowed(String allowed) {
        return new ApiError(405, "METHOD_NOT_ALLOWED", "method not allowed here; allowed: " + allowed);
    }

    /** A body that may be left out (no body, or an empty one, is null); one that is sent is read as {@link #body} reads it. */
    private static JsonNode optionalBody(APIGatewayV2HTTPEvent event) {
        return event.getBody() == null || event.getBody().isEmpty() ? null : body(event);
    }

    private static JsonNode body(APIGatewayV2HTTPEvent event) {
        String type = header(event, "content-type").orElse("");
        if (!type.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
            throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json (parameters such as charset"
                    + " allowed), not " + (type.isEmpty() ? "no type" : TextRules.echoed(type)));
        }
        String raw = Optional.ofNullable(event.getBody()).orElse("");
        if (raw.length() > (MAX_BODY_BYTES + 2) / 3 * 4 + 4) {
            throw tooLarge(raw.length());
        }
        byte[] bytes;
        try {
            bytes = event.getIsBase64Encoded() ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "INVALID_JSON", "the body is not valid base64 although marked so");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge(bytes.length);
        }
        StrictUtf8.problem(bytes).ifPresent(problem -> {
            throw new ApiError(400, "INVALID_ENCODING", "the body is not UTF-8: " + problem);
        });
        return StrictJson.read(bytes).orElseThrow(() -> new ApiError(400, "INVALID_JSON",
                "the body is not one valid JSON value (no trailing content, no key given twice, UTF-8)"));
    }

    private static ApiError tooLarge(int size) {
        return new ApiError(413, "BODY_TOO_LARGE", "the body is " + size + " bytes or more; the limit is " + MAX_BODY_BYTES);
    }

    private static Optional<String> header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return Optional.empty();
        }
        return event.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }

    private static APIGatewayV2HTTPResponse error(ApiError e, Map<String, String> headers) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", e.code());
        error.put("message", e.getMessage());
        error.set("fields", JSON.valueToTree(e.fields().stream()
                .map(f -> Map.of("field", f.field(), "message", f.message())).toList()));
        return respond(e.status(), body, headers);
    }

    private static APIGatewayV2HTTPResponse respond(int status, JsonNode body, Map<String, String> headers) {
        java.util.Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(all).withBody(body.toString()).build();
    }
}
