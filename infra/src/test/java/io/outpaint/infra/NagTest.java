package io.outpaint.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.ServerlessChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/**
 * cdk-nag's AwsSolutions and Serverless packs (and CDK's own template check) over the whole stack:
 * every finding is either fixed or acknowledged beside its resource with a written reason (see
 * {@link Nag} and the calls to it in the stack).
 */
class NagTest {

    @Test
    void theStackHasNoUnacknowledgedFinding(@TempDir Path out) throws IOException {
        List<String> findings = findings(out, app -> OutpaintApp.build(app, OutpaintApp.root()));
        assertThat(findings).isEmpty();
    }

    @Test
    void bothPacksRunAndAreReadHere(@TempDir Path out) throws IOException {
        // a queue with none of the stack's care: both packs must object, or the test above proves nothing
        List<String> findings = findings(out, app -> new Queue(new Stack(app, "Careless"), "Queue"));
        assertThat(findings).anyMatch(f -> f.startsWith("AwsSolutions-SQS4 @ Careless/Queue"))
                .anyMatch(f -> f.startsWith("Serverless-SQSRedrivePolicy @ Careless/Queue"));
    }

    /**
     * Synthesizes what {@code build} adds to an app with both packs, and lists the findings: those
     * reported, and those CDK marked suppressed without an acknowledgment of that exact finding on
     * its own construct or an ancestor (CDK suppresses a finding grouped with others when any one
     * of them is acknowledged, which would hide unacknowledged ones).
     */
    private static List<String> findings(Path out, Consumer<App> build) throws IOException {
        App app = new App(AppProps.builder().outdir(out.toString())
                .context(Map.of("@aws-cdk/core:validationReportJson", true)).build());
        build.accept(app);
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
        try {
            app.synth();
        } catch (RuntimeException failedValidation) {
            // the report below says what failed
        }
        Path report = out.resolve("validation-report.json");
        assertThat(report).as("CDK wrote its validation report").exists();
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        List<String> findings = new ArrayList<>();
        for (JsonNode plugin : json.path("pluginReports")) {
            for (JsonNode violation : plugin.path("violations")) {
                for (JsonNode where : violation.path("violatingConstructs")) {
                    findings.add(violation.path("ruleName").asText() + " @ " + where.path("constructPath").asText()
                            + ": " + violation.path("description").asText());
                }
            }
            for (JsonNode suppressed : plugin.path("suppressedViolations")) {
                String id = suppressed.path("acknowledgedId").asText();
                for (JsonNode where : suppressed.path("violatingConstructs")) {
                    String path = where.path("constructPath").asText();
                    if (!acknowledged(app, path, id)) {
                        findings.add(suppressed.path("ruleName").asText() + " @ " + path + ": suppressed by "
                                + id + " elsewhere (" + suppressed.path("acknowledgedAt").asText() + "), not here");
                    }
                }
            }
        }
        return findings;
    }

    /** Whether the construct at {@code path} or an ancestor acknowledges exactly {@code id}, with a reason. */
    private static boolean acknowledged(App app, String path, String id) {
        for (IConstruct c = find(app, path); c != null; c = c.getNode().getScope()) {
            for (MetadataEntry entry : c.getNode().getMetadata()) {
                if (entry.getType().equals(Validations.ACKNOWLEDGED_RULES_METADATA_KEY) && entry.getData() instanceof Map<?, ?> data) {
                    for (Map.Entry<?, ?> e : data.entrySet()) {
                        String key = String.valueOf(e.getKey()).replaceFirst("(?i)^annotation::", "");
                        if (key.equals(id) && !String.valueOf(e.getValue()).isBlank()) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static IConstruct find(App app, String path) {
        IConstruct c = app;
        for (String part : path.split("/")) {
            c = c.getNode().findChild(part);
        }
        return c;
    }
}
