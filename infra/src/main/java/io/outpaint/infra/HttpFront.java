package io.outpaint.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * The HTTP API: IAM on every route, the {@code $default} stage throttled (rate and burst are
 * parameters), {@code POST /estimate} tighter still (a shape not priced yet costs a dry run at
 * Scenario), and JSON access logs that expire.
 */
final class HttpFront {

    /** The one route with its own, tighter limit. */
    static final String ESTIMATE = "POST /estimate";

    /** One line per request: who called what, how it ended and how long it took. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"caller\":\"$context.identity.caller\",\"userArn\":\"$context.identity.userArn\","
            + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"responseLength\":\"$context.responseLength\",\"latencyMs\":\"$context.responseLatency\","
            + "\"integrationStatus\":\"$context.integrationStatus\",\"integrationLatencyMs\":\"$context.integration.latency\","
            + "\"error\":\"$context.error.message\"}";

    private final HttpApi api;
    private final CfnStage stage;
    private final LogGroup accessLogs;

    HttpFront(Stack stack, IFunction handler) {
        CfnParameter rate = number(stack, "ApiRateLimit", 20, "Steady requests per second the API accepts (all routes)");
        CfnParameter burst = number(stack, "ApiBurstLimit", 40, "Requests the API accepts in a burst (all routes)");
        CfnParameter estimateRate = number(stack, "EstimateRateLimit", 1,
                "Steady requests per second for POST /estimate (a shape not priced yet costs a dry run at Scenario)");
        CfnParameter estimateBurst = number(stack, "EstimateBurstLimit", 2, "Burst of POST /estimate requests");

        api = HttpApi.Builder.create(stack, "HttpApi").apiName(stack.getStackName() + "-outpaint")
                .defaultAuthorizer(new HttpIamAuthorizer()).createDefaultStage(false).build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("ApiIntegration", handler);
        route("/jobs", integration, HttpMethod.GET, HttpMethod.POST);
        route("/jobs/{id}", integration, HttpMethod.GET);
        route("/jobs/{id}/cancel", integration, HttpMethod.POST);
        route("/jobs/{id}/segments/{n}/retry", integration, HttpMethod.POST);
        route("/uploads", integration, HttpMethod.POST);
        route("/estimate", integration, HttpMethod.POST);
        route("/usage", integration, HttpMethod.GET);

        accessLogs = LogGroup.Builder.create(stack, "ApiAccessLogs").retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        stage = CfnStage.Builder.create(stack, "DefaultStage").apiId(api.getApiId()).stageName("$default").autoDeploy(true)
                .defaultRouteSettings(CfnStage.RouteSettingsProperty.builder()
                        .throttlingRateLimit(rate.getValueAsNumber()).throttlingBurstLimit(burst.getValueAsNumber()).build())
                .routeSettings(Map.of(ESTIMATE, Map.of("ThrottlingRateLimit", estimateRate.getValueAsNumber(),
                        "ThrottlingBurstLimit", estimateBurst.getValueAsNumber())))
                .accessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                        .destinationArn(accessLogs.getLogGroupArn()).format(ACCESS_LOG_FORMAT).build())
                .build();
        // route settings name routes that must exist first
        stage.getNode().addDependency(api);
    }

    private void route(String path, HttpLambdaIntegration integration, HttpMethod... methods) {
        api.addRoutes(AddRoutesOptions.builder().path(path).methods(List.of(methods)).integration(integration).build());
    }

    private static CfnParameter number(Stack stack, String id, int value, String what) {
        return CfnParameter.Builder.create(stack, id).type("Number").defaultValue(value).minValue(0).description(what).build();
    }

    String endpoint() {
        return api.getApiEndpoint();
    }

    HttpApi api() {
        return api;
    }

    LogGroup accessLogs() {
        return accessLogs;
    }
}
