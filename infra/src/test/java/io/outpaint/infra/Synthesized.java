package io.outpaint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The stack synthesized once for every test class of this module (synthesis through jsii takes a while). */
final class Synthesized {

    static final Template TEMPLATE;
    static final JsonNode JSON;
    /** The cloud assembly that synthesis wrote (template, assets manifest, staged assets), as {@code cdk deploy} reads it. */
    static final java.nio.file.Path ASSEMBLY;

    static {
        App app = new App();
        TEMPLATE = Template.fromStack(OutpaintApp.build(app, OutpaintApp.root()));
        JSON = new ObjectMapper().valueToTree(TEMPLATE.toJSON());
        ASSEMBLY = java.nio.file.Path.of(app.getOutdir());
    }

    private Synthesized() {}

    static List<Map.Entry<String, JsonNode>> resources(String type) {
        List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
        JSON.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.add(e);
            }
        });
        return found;
    }

    /** The catalogue entry's function: logical id {@code <id>Function...}, running one of our handlers. */
    static Map.Entry<String, JsonNode> function(PipelineFunction entry) {
        return resources("AWS::Lambda::Function").stream()
                .filter(e -> e.getKey().startsWith(entry.id() + "Function"))
                .filter(e -> e.getValue().path("Properties").path("Handler").asText().startsWith("io.outpaint."))
                .reduce((a, b) -> {
                    throw new AssertionError("two functions for " + entry + ": " + a.getKey() + ", " + b.getKey());
                }).orElseThrow(() -> new AssertionError("no function for " + entry));
    }

    /** The statements of the policy attached to a function's role. */
    static JsonNode policyOf(String functionLogicalIdPrefix) {
        String role = resources("AWS::Lambda::Function").stream().filter(e -> e.getKey().startsWith(functionLogicalIdPrefix))
                .findFirst().orElseThrow().getValue().path("Properties").path("Role").path("Fn::GetAtt").get(0).asText();
        return resources("AWS::IAM::Policy").stream()
                .filter(e -> e.getValue().path("Properties").path("Roles").toString().contains("\"" + role + "\""))
                .findFirst().orElseThrow().getValue().path("Properties").path("PolicyDocument").path("Statement");
    }

    static List<String> actions(JsonNode statement) {
        List<String> all = new ArrayList<>();
        JsonNode a = statement.path("Action");
        if (a.isArray()) {
            a.forEach(x -> all.add(x.asText()));
        } else {
            all.add(a.asText());
        }
        return all;
    }

    static List<String> allActions(JsonNode statements) {
        List<String> all = new ArrayList<>();
        statements.forEach(s -> all.addAll(actions(s)));
        return all;
    }
}
