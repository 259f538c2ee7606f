package io.outpaint.local.lambda.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RehearsalEnvironmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, JsonNode> template(String json) throws Exception {
        Map<String, JsonNode> vars = new LinkedHashMap<>();
        JSON.readTree(json).fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue()));
        return vars;
    }

    @Test
    void literalsStayAsTheTemplateGivesThemAndReferencesBecomeTheLocalResources() throws Exception {
        Map<String, String> env = RehearsalEnvironment.of(
                template("{\"OUTPAINT_STEP\": \"SUBMIT\", \"TABLE_NAME\": {\"Ref\": \"JobsTable\"}}"),
                Map.of("TABLE_NAME", "outpaint-jobs", "OUTPAINT_STEP", "ADMIT"), Map.of("AWS_REGION", "us-east-1"));
        assertThat(env).containsEntry("OUTPAINT_STEP", "SUBMIT").containsEntry("TABLE_NAME", "outpaint-jobs")
                .containsEntry("AWS_REGION", "us-east-1");
    }

    @Test
    void theLocalRuntimesPlainSecretsAndUnnamedSettingsAreNeverPassed() throws Exception {
        Map<String, String> env = RehearsalEnvironment.of(template("{\"SCENARIO_SECRET_ARN\": {\"Ref\": \"ScenarioSecretArn\"}}"),
                Map.of("SCENARIO_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:s", "SCENARIO_API_KEY", "k",
                        "SCENARIO_API_SECRET", "s", "WEBHOOK_SECRET", "w", "S3_PATH_STYLE", "true", "SOMETHING_ELSE", "x"),
                Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1", "NOT_AWS", "y"));
        assertThat(env).containsOnlyKeys("SCENARIO_SECRET_ARN", "S3_PATH_STYLE", "AWS_ENDPOINT_URL_S3");
    }

    @Test
    void aParameterTheLocalRuntimeHasNoValueForTakesItsDefaultAsCloudFormationGivesIt() throws Exception {
        Map<String, String> env = RehearsalEnvironment.of(template("{\"BUDGET_CREATIVE_UNITS\": {\"Ref\": \"BudgetCreativeUnits\"}}"),
                Map.of(), Map.of(), Map.of("BudgetCreativeUnits", "none"));
        assertThat(env).containsEntry("BUDGET_CREATIVE_UNITS", "none");
    }

    @Test
    void aReferenceWithNoLocalValueIsRefusedNamingTheVariable() throws Exception {
        assertThatThrownBy(() -> RehearsalEnvironment.of(template("{\"EVENT_BUS_NAME\": {\"Ref\": \"Bus\"}}"), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EVENT_BUS_NAME");
    }
}
