package io.outpaint.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.ServerlessChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Validations;

/**
 * cdk-nag's AwsSolutions and Serverless packs over the whole stack: every finding is either fixed
 * or acknowledged beside its resource with a written reason (see {@link Nag} and the stack's calls).
 */
class NagTest {

    @Test
    void theStackHasNoUnacknowledgedFinding(@TempDir Path out) throws Exception {
        App app = new App(AppProps.builder().outdir(out.toString())
                .context(Map.of("@aws-cdk/core:validationReportJson", true)).build());
        OutpaintApp.build(app, OutpaintApp.root());
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
        Throwable failure = null;
        try {
            app.synth();
        } catch (RuntimeException e) {
            failure = e;
        }
        Path report = out.resolve("policy-validation-report.json");
        assertThat(report).as("cdk-nag ran and wrote its report").exists();
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        List<String> findings = new ArrayList<>();
        for (JsonNode plugin : json.path("pluginReports")) {
            for (JsonNode violation : plugin.path("violations")) {
                for (JsonNode where : violation.path("violatingResources")) {
                    findings.add(violation.path("ruleName").asText() + " @ " + where.path("constructPath").asText());
                }
            }
        }
        List<String> plugins = new ArrayList<>();
        json.path("pluginReports").forEach(p -> plugins.add(p.path("summary").path("pluginName").asText()));
        assertThat(plugins).as("both packs ran (CDK's own template check runs too)").contains("AwsSolutions", "Serverless");
        assertThat(findings).as(json.toPrettyString()).isEmpty();
        assertThat(failure).isNull();
    }
}
