package io.outpaint.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized template, checked resource by resource. The stack is synthesized once for all tests. */
class OutpaintStackTest {

    private static Template template;
    private static JsonNode json;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(OutpaintApp.build(new App(), OutpaintApp.root()));
        json = new ObjectMapper().valueToTree(template.toJSON());
    }

    private static List<Map.Entry<String, JsonNode>> resources(String type) {
        List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
        json.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.add(e);
            }
        });
        return found;
    }

    private static JsonNode policyOf(String functionLogicalIdPrefix) {
        String role = resources("AWS::Lambda::Function").stream().filter(e -> e.getKey().startsWith(functionLogicalIdPrefix))
                .findFirst().orElseThrow().getValue().path("Properties").path("Role").path("Fn::GetAtt").get(0).asText();
        return resources("AWS::IAM::Policy").stream()
                .filter(e -> e.getValue().path("Properties").path("Roles").toString().contains("\"" + role + "\""))
                .findFirst().orElseThrow().getValue().path("Properties").path("PolicyDocument").path("Statement");
    }

    private static List<String> actions(JsonNode statements) {
        List<String> all = new ArrayList<>();
        for (JsonNode s : statements) {
            JsonNode a = s.path("Action");
            if (a.isArray()) {
                a.forEach(x -> all.add(x.asText()));
            } else {
                all.add(a.asText());
            }
        }
        return all;
    }

    @Test
    void everyFunctionRunsJava21WithSnapStartBehindAnAlias() {
        // the functions jar's handlers; CDK adds a Python function of its own for bucket notifications
        List<Map.Entry<String, JsonNode>> functions = resources("AWS::Lambda::Function").stream()
                .filter(f -> f.getValue().path("Properties").path("Handler").asText().startsWith("io.outpaint.handlers.")).toList();
        assertThat(functions).hasSize(8);
        for (var fn : functions) {
            JsonNode p = fn.getValue().path("Properties");
            assertThat(p.path("Runtime").asText()).as(fn.getKey()).isEqualTo("java21");
            assertThat(p.path("SnapStart").path("ApplyOn").asText()).as(fn.getKey()).isEqualTo("PublishedVersions");
            assertThat(p.path("TracingConfig").path("Mode").asText()).isEqualTo("Active");
            assertThat(p.path("LoggingConfig").path("LogGroup").isMissingNode()).isFalse();
        }
        assertThat(resources("AWS::Lambda::Alias")).hasSize(8);
        assertThat(resources("AWS::Lambda::Version")).hasSize(8);
        template.resourcePropertiesCountIs("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30), 9);
    }

    @Test
    void theTableIsOnDemandWithPointInTimeRecoveryTtlAndTheIndexes() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("IndexName", "byStatus")), Match.objectLike(Map.of("IndexName", "byCreated"))))));
    }

    @Test
    void theBucketBlocksPublicAccessEncryptsVersionsAndDeniesPlainHttp() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Match.objectLike(Map.of()),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Prefix", "inputs/")), Match.objectLike(Map.of("Prefix", "outputs/")))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void theStateMachineIsTheAslFileWithEveryFunctionSubstituted() {
        var machines = resources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(1);
        JsonNode p = machines.get(0).getValue().path("Properties");
        assertThat(p.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(p.path("TracingConfiguration").path("Enabled").asBoolean()).isTrue();
        assertThat(p.path("LoggingConfiguration").path("Level").asText()).isEqualTo("ERROR");
        assertThat(p.path("DefinitionString").toString()).contains("WaitForProgress", "JitterStrategy");
        JsonNode substitutions = p.path("DefinitionSubstitutions");
        for (String state : List.of("UploadInput", "Submit", "CheckStatus", "CopyResults", "RecordFailure", "Notify")) {
            assertThat(substitutions.path(state + "FunctionArn").toString()).as(state).contains(state + "Live");
        }
    }

    @Test
    void everyRouteNeedsIamAuthorization() {
        var routes = resources("AWS::ApiGatewayV2::Route");
        assertThat(routes).extracting(r -> r.getValue().path("Properties").path("RouteKey").asText())
                .containsExactlyInAnyOrder("GET /jobs", "POST /jobs", "GET /jobs/{id}", "POST /jobs/{id}/cancel", "POST /estimate");
        for (var route : routes) {
            assertThat(route.getValue().path("Properties").path("AuthorizationType").asText()).as(route.getKey()).isEqualTo("AWS_IAM");
        }
    }

    @Test
    void uploadsUnderInputsTriggerTheFunctionWithAFailureQueueAndAlarms() {
        template.hasResourceProperties("Custom::S3BucketNotifications", Map.of("NotificationConfiguration", Map.of(
                "LambdaFunctionConfigurations", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Events", List.of("s3:ObjectCreated:*"),
                        "Filter", Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "inputs/")))))))))));
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of("MaximumRetryAttempts", 2,
                "DestinationConfig", Map.of("OnFailure", Match.objectLike(Map.of()))));
        template.resourceCountIs("AWS::CloudWatch::Alarm", 3);
    }

    @Test
    void theScenarioSecretIsReferencedByArnAndNeverInPlainText() {
        assertThat(json.path("Parameters").has("ScenarioSecretArn")).isTrue();
        String all = json.toString();
        assertThat(all).doesNotContain("SCENARIO_API_KEY").doesNotContain("SCENARIO_API_SECRET").doesNotContain("WEBHOOK_SECRET\"");
        for (var fn : resources("AWS::Lambda::Function")) {
            JsonNode vars = fn.getValue().path("Properties").path("Environment").path("Variables");
            if (vars.has("SCENARIO_SECRET_ARN")) {
                assertThat(vars.path("SCENARIO_SECRET_ARN").toString()).contains("ScenarioSecretArn");
            }
        }
        // only the functions that call Scenario may read its secret
        assertThat(policyOf("RecordFailureFunction").toString()).doesNotContain("ScenarioSecretArn");
        assertThat(policyOf("NotifyFunction").toString()).doesNotContain("ScenarioSecretArn");
        assertThat(policyOf("UploadTriggerFunction").toString()).doesNotContain("ScenarioSecretArn");
        assertThat(policyOf("SubmitFunction").toString()).contains("ScenarioSecretArn");
    }

    @Test
    void eachRoleHoldsOnlyWhatItsFunctionUses() {
        assertThat(actions(policyOf("SubmitFunction"))).noneMatch(a -> a.startsWith("s3:"));
        assertThat(actions(policyOf("CheckStatusFunction"))).noneMatch(a -> a.startsWith("s3:") || a.startsWith("states:"));
        assertThat(actions(policyOf("CopyResultsFunction"))).noneMatch(a -> a.startsWith("states:")).contains("s3:PutObject");
        assertThat(actions(policyOf("UploadTriggerFunction"))).contains("states:StartExecution").noneMatch(a -> a.equals("s3:PutObject"));
        assertThat(actions(policyOf("ApiFunction"))).contains("states:StartExecution", "states:StopExecution");
        assertThat(actions(policyOf("NotifyFunction"))).contains("events:PutEvents").noneMatch(a -> a.startsWith("s3:"));
        assertThat(policyOf("CopyResultsFunction").toString()).contains("outputs/*").doesNotContain("inputs/*");
    }

    @Test
    void noFunctionStatementGrantsEverythingOnS3OrDynamoDb() {
        for (var policy : resources("AWS::IAM::Policy")) {
            for (JsonNode statement : policy.getValue().path("Properties").path("PolicyDocument").path("Statement")) {
                List<String> acts = actions(List.of(statement).get(0).isObject() ? new ObjectMapper().createArrayNode().add(statement) : statement);
                boolean dataAction = acts.stream().anyMatch(a -> a.startsWith("s3:") || a.startsWith("dynamodb:"));
                if (dataAction) {
                    assertThat(statement.path("Resource").toString()).as(policy.getKey() + " " + statement).isNotEqualTo("\"*\"");
                    assertThat(acts).as(policy.getKey()).doesNotContain("s3:*", "dynamodb:*");
                }
            }
        }
    }

    @Test
    void outputsTheApiUrlBucketTableAndStateMachine() {
        assertThat(json.path("Outputs").fieldNames()).toIterable().contains("ApiUrl", "BucketName", "TableName", "StateMachineArn");
    }
}
