package io.outpaint.infra;

import static io.outpaint.infra.Synthesized.JSON;
import static io.outpaint.infra.Synthesized.TEMPLATE;
import static io.outpaint.infra.Synthesized.actions;
import static io.outpaint.infra.Synthesized.allActions;
import static io.outpaint.infra.Synthesized.policyOf;
import static io.outpaint.infra.Synthesized.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.outpaint.pipeline.PipelineFunction;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The synthesized template, checked resource by resource. */
class OutpaintStackTest {

    private static final int FUNCTIONS = PipelineFunction.values().length;

    /** The operation keys of an OpenAPI path item. */
    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

    @Test
    void everyFunctionRunsJava21BehindAnAliasWithSnapStartWhereItsTmpAllowsIt() {
        // the functions jar's handlers; CDK adds a Python function of its own for bucket notifications
        List<Map.Entry<String, JsonNode>> functions = resources("AWS::Lambda::Function").stream()
                .filter(f -> f.getValue().path("Properties").path("Handler").asText().startsWith("io.outpaint.handlers.")).toList();
        assertThat(functions).hasSize(FUNCTIONS);
        for (PipelineFunction entry : PipelineFunction.values()) {
            var fn = Synthesized.function(entry);
            JsonNode p = fn.getValue().path("Properties");
            assertThat(p.path("Runtime").asText()).as(fn.getKey()).isEqualTo("java21");
            // Lambda refuses SnapStart above 512 MiB of /tmp: the media function starts on demand
            assertThat(p.path("SnapStart").path("ApplyOn").asText()).as(fn.getKey()).isEqualTo(entry.snapStart() ? "PublishedVersions" : "");
            assertThat(p.path("TracingConfig").path("Mode").asText()).isEqualTo("Active");
            assertThat(p.path("LoggingConfig").path("LogGroup").isMissingNode()).isFalse();
        }
        assertThat(resources("AWS::Lambda::Alias")).hasSize(FUNCTIONS)
                .allSatisfy(a -> assertThat(a.getValue().path("Properties").path("Name").asText()).isEqualTo("live"));
        assertThat(resources("AWS::Lambda::Version")).hasSize(FUNCTIONS);
        // each function's, the state machine's and CDK's bucket-notifications helper's
        TEMPLATE.resourcePropertiesCountIs("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30), FUNCTIONS + 2);
    }

    @Test
    void theMediaFunctionsRunTheMediaAssetWithTenGibibytesOfTmpAndEveryOtherTheShared() {
        java.util.Set<String> media = new java.util.HashSet<>();
        java.util.Set<String> shared = new java.util.HashSet<>();
        for (PipelineFunction entry : PipelineFunction.values()) {
            JsonNode p = Synthesized.function(entry).getValue().path("Properties");
            String code = p.path("Code").path("S3Key").toString();
            if (entry.asset() == PipelineFunction.Asset.MEDIA) {
                assertThat(entry).isIn(PipelineFunction.FINISH, PipelineFunction.SPLIT, PipelineFunction.FINISH_SEGMENT, PipelineFunction.JOIN);
                assertThat(p.path("EphemeralStorage").path("Size").asInt()).as(entry.name()).isEqualTo(10 * 1024);
                assertThat(p.path("MemorySize").asInt()).isEqualTo(entry.memoryMb());
                assertThat(p.path("Timeout").asInt()).isEqualTo(900);
                media.add(code);
            } else {
                assertThat(p.path("EphemeralStorage").isMissingNode()).as(entry.name() + " keeps Lambda's default /tmp").isTrue();
                shared.add(code);
            }
        }
        assertThat(shared).as("one shared asset").hasSize(1);
        assertThat(media).as("one media asset").hasSize(1).doesNotContainAnyElementsOf(shared);
    }

    @Test
    void theTableIsOnDemandWithPointInTimeRecoveryTtlAndTheIndexes() {
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("IndexName", "byStatus")), Match.objectLike(Map.of("IndexName", "byCreated")),
                        Match.objectLike(Map.of("IndexName", "byQueue",
                                "KeySchema", List.of(Map.of("AttributeName", "queue", "KeyType", "HASH"),
                                        Map.of("AttributeName", "queueKey", "KeyType", "RANGE")),
                                "Projection", Map.of("ProjectionType", "ALL")))))));
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of("AttributeDefinitions", Match.arrayWith(List.of(
                Map.of("AttributeName", "queue", "AttributeType", "S"), Map.of("AttributeName", "queueKey", "AttributeType", "S")))));
    }

    @Test
    void theBucketBlocksPublicAccessEncryptsVersionsAndDeniesPlainHttp() {
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Match.objectLike(Map.of()),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Prefix", "inputs/")), Match.objectLike(Map.of("Prefix", "outputs/")))))));
        TEMPLATE.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void theStateMachineIsTheAslFileWithEveryStepSubstitutedByItsAlias() {
        var machines = resources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(1);
        JsonNode p = machines.get(0).getValue().path("Properties");
        assertThat(p.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(p.path("TracingConfiguration").path("Enabled").asBoolean()).isTrue();
        assertThat(p.path("LoggingConfiguration").path("Level").asText()).isEqualTo("ERROR");
        assertThat(p.path("DefinitionString").toString()).contains("WaitForProgress", "JitterStrategy", "Admit");
        JsonNode substitutions = p.path("DefinitionSubstitutions");
        for (PipelineFunction entry : PipelineFunction.values()) {
            if (entry.isStep()) {
                assertThat(substitutions.path(entry.placeholder().orElseThrow()).toString()).as(entry.name()).contains(entry.id() + "Live");
            }
        }
        // Api, UploadTrigger, Reconcile and Sweep are not Tasks of the state machine
        assertThat(substitutions.fieldNames()).toIterable().doesNotContain("ApiFunctionArn", "UploadTriggerFunctionArn",
                "ReconcileFunctionArn", "SweepFunctionArn");
    }

    @Test
    void everyRouteNeedsIamAuthorization() {
        var routes = resources("AWS::ApiGatewayV2::Route");
        assertThat(routes).extracting(r -> r.getValue().path("Properties").path("RouteKey").asText())
                .containsExactlyInAnyOrder("GET /jobs", "POST /jobs", "GET /jobs/{id}", "POST /jobs/{id}/cancel", "POST /jobs/{id}/segments/{n}/retry", "POST /uploads",
                        "POST /estimate", "GET /usage");
        for (var route : routes) {
            assertThat(route.getValue().path("Properties").path("AuthorizationType").asText()).as(route.getKey()).isEqualTo("AWS_IAM");
        }
    }

    /** The API's contract (openapi.yaml, which the handler serves) and the stack's routes are the same set. */
    @Test
    void everyDocumentedOperationIsARouteAndEveryRouteIsDocumented() throws Exception {
        Set<String> documented = documentedOperations();
        assertThat(documented).hasSizeGreaterThanOrEqualTo(6);
        assertThat(resources("AWS::ApiGatewayV2::Route")).extracting(r -> r.getValue().path("Properties").path("RouteKey").asText())
                .containsExactlyInAnyOrderElementsOf(documented);
    }

    /** Every operation of openapi.yaml as a route key, "METHOD /path"; path-level keys such as parameters are not operations. */
    private Set<String> documentedOperations() throws Exception {
        JsonNode spec;
        try (var in = getClass().getResourceAsStream("/openapi.yaml")) {
            assertThat(in).as("openapi.yaml from the functions module").isNotNull();
            spec = new YAMLMapper().readTree(in);
        }
        JsonNode paths = spec.path("paths");
        assertThat(paths.isObject()).as("openapi.yaml has paths").isTrue();
        Set<String> documented = new TreeSet<>();
        for (var path : paths.properties()) {
            for (var operation : path.getValue().properties()) {
                if (HTTP_METHODS.contains(operation.getKey())) {
                    documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return documented;
    }

    /** The web console on the ConsoleOrigin parameter PUTs staged videos to the bucket; nothing else crosses origins. */
    @Test
    void theBucketAllowsTheConsolesOriginOnlyToPut() {
        assertThat(JSON.path("Parameters").path("ConsoleOrigin").path("Default").asText()).isEqualTo("http://127.0.0.1:8686");
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of("CorsConfiguration", Map.of("CorsRules", List.of(Match.objectLike(Map.of(
                "AllowedOrigins", List.of(Map.of("Ref", "ConsoleOrigin")),
                "AllowedMethods", List.of("PUT"),
                "AllowedHeaders", List.of("Content-Type")))))));
    }

    @Test
    void uploadsUnderInputsTriggerTheFunctionWithAFailureQueue() {
        TEMPLATE.hasResourceProperties("Custom::S3BucketNotifications", Map.of("NotificationConfiguration", Map.of(
                "LambdaFunctionConfigurations", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Events", List.of("s3:ObjectCreated:*"),
                        "Filter", Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "inputs/")))))))))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of("MaximumRetryAttempts", 2,
                "DestinationConfig", Map.of("OnFailure", Match.objectLike(Map.of()))));
    }

    @Test
    void theScenarioSecretIsReferencedByArnAndOnlyItsUsersReadIt() {
        assertThat(JSON.path("Parameters").has("ScenarioSecretArn")).isTrue();
        String all = JSON.toString();
        assertThat(all).doesNotContain("SCENARIO_API_KEY").doesNotContain("SCENARIO_API_SECRET").doesNotContain("WEBHOOK_SECRET\"");
        for (PipelineFunction entry : PipelineFunction.values()) {
            JsonNode vars = Synthesized.function(entry).getValue().path("Properties").path("Environment").path("Variables");
            String policy = policyOf(entry.id() + "Function").toString();
            boolean scenario = entry.needs(PipelineFunction.Need.SCENARIO);
            assertThat(vars.has("SCENARIO_SECRET_ARN")).as(entry.name()).isEqualTo(scenario);
            assertThat(policy.contains("ScenarioSecretArn")).as(entry.name()).isEqualTo(scenario);
            if (scenario) {
                assertThat(vars.path("SCENARIO_SECRET_ARN").toString()).contains("ScenarioSecretArn");
            }
            assertThat(policy.contains("WebhookSecret")).as(entry.name()).isEqualTo(entry.needs(PipelineFunction.Need.WEBHOOK_SECRET));
        }
    }

    @Test
    void eachRoleHoldsOnlyWhatItsFunctionUses() {
        assertThat(allActions(policyOf("SubmitFunction"))).noneMatch(a -> a.startsWith("s3:") || a.startsWith("states:"));
        // CheckStatus gives the slot to the next job the moment Scenario's job ends: it starts executions, nothing else
        assertThat(allActions(policyOf("CheckStatusFunction"))).noneMatch(a -> a.startsWith("s3:") || a.equals("states:StopExecution"))
                .contains("states:StartExecution");
        assertThat(allActions(policyOf("CopyResultsFunction"))).contains("s3:PutObject", "states:StartExecution")
                .doesNotContain("states:StopExecution");
        assertThat(allActions(policyOf("UploadTriggerFunction"))).contains("states:StartExecution").noneMatch(a -> a.equals("s3:PutObject"));
        assertThat(allActions(policyOf("ApiFunction"))).contains("states:StartExecution", "states:StopExecution")
                .doesNotContain("states:DescribeExecution");
        assertThat(allActions(policyOf("NotifyFunction"))).contains("events:PutEvents").noneMatch(a -> a.startsWith("s3:") || a.startsWith("states:"));
        assertThat(policyOf("CopyResultsFunction").toString()).contains("outputs/*").doesNotContain("inputs/*");
        assertThat(policyOf("AdmitFunction").toString()).contains("inputs/*").doesNotContain("outputs/*");
    }

    @Test
    void noStatementGrantsEverythingOnS3OrDynamoDbAndNobodyMayScan() {
        for (var policy : resources("AWS::IAM::Policy")) {
            for (JsonNode statement : policy.getValue().path("Properties").path("PolicyDocument").path("Statement")) {
                List<String> acts = actions(statement);
                assertThat(acts).as(policy.getKey()).doesNotContain("dynamodb:Scan", "dynamodb:*", "s3:*")
                        .noneMatch(a -> a.startsWith("dynamodb:Batch") || a.equals("dynamodb:DeleteItem"));
                if (acts.stream().anyMatch(a -> a.startsWith("s3:") || a.startsWith("dynamodb:"))) {
                    assertThat(statement.path("Resource").toString()).as(policy.getKey() + " " + statement).isNotEqualTo("\"*\"");
                }
            }
        }
    }

    @Test
    void outputsTheApiUrlBucketTableAndStateMachine() {
        assertThat(JSON.path("Outputs").fieldNames()).toIterable().contains("ApiUrl", "BucketName", "TableName", "StateMachineArn");
    }
}
