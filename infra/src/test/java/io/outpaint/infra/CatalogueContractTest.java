package io.outpaint.infra;

import static io.outpaint.infra.Synthesized.JSON;
import static io.outpaint.infra.Synthesized.actions;
import static io.outpaint.infra.Synthesized.allActions;
import static io.outpaint.infra.Synthesized.policyOf;
import static io.outpaint.infra.Synthesized.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineFunction.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract between the catalogue ({@link PipelineFunction}), the state machine file and the
 * synthesized template: each is held to the catalogue, entry by entry.
 */
class CatalogueContractTest {

    private static final java.util.Set<PipelineFunction> ASYNC = java.util.EnumSet.of(
            PipelineFunction.UPLOAD_TRIGGER, PipelineFunction.RECONCILE, PipelineFunction.SWEEP);
    /** What CDK grants an on-failure destination's function on its queue (grantSendMessages). */
    private static final List<String> SEND_TO_QUEUE = List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");

    @Test
    void theTemplatesFunctionsAreTheCatalogue() {
        Map<String, String> common = new LinkedHashMap<>();
        OutpaintStack.COMMON_VARIABLES.forEach(name -> common.put(name, "x"));
        assertThat(resources("AWS::Lambda::Function").stream()
                .filter(f -> f.getValue().path("Properties").path("Handler").asText().startsWith("io.outpaint."))).hasSize(PipelineFunction.values().length);
        for (PipelineFunction entry : PipelineFunction.values()) {
            JsonNode p = Synthesized.function(entry).getValue().path("Properties");
            assertThat(p.path("Handler").asText()).as(entry.name()).isEqualTo(entry.handler());
            assertThat(p.path("MemorySize").asInt()).as(entry.name()).isEqualTo(entry.memoryMb());
            assertThat(p.path("Timeout").asInt()).as(entry.name()).isEqualTo(entry.timeoutSeconds());
            JsonNode vars = p.path("Environment").path("Variables");
            Set<String> names = new TreeSet<>();
            vars.fieldNames().forEachRemaining(names::add);
            assertThat(names).as(entry.name()).isEqualTo(new TreeSet<>(entry.environment(common).keySet()));
            if (entry.isStep()) {
                // the generic step handler finds its step from this variable
                assertThat(vars.path(PipelineFunction.STEP_VARIABLE).asText()).as(entry.name()).isEqualTo(entry.name());
                assertThat(PipelineFunction.fromEnvironment(Map.of(PipelineFunction.STEP_VARIABLE,
                        vars.path(PipelineFunction.STEP_VARIABLE).asText()))).isEqualTo(entry);
            }
        }
    }

    @Test
    void everyAslPlaceholderIsAStepOfTheCatalogueAndEveryStepHasOne() throws IOException {
        String asl = Files.readString(OutpaintApp.root().resolve("statemachine/outpaint.asl.json"));
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(asl);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        Set<String> steps = new TreeSet<>();
        for (PipelineFunction entry : PipelineFunction.values()) {
            assertThat(entry.placeholder().isPresent()).as(entry.name()).isEqualTo(entry.isStep());
            entry.placeholder().ifPresent(steps::add);
        }
        assertThat(placeholders).isEqualTo(steps);
        // and the template substituted each one
        JsonNode machine = resources("AWS::StepFunctions::StateMachine").get(0).getValue().path("Properties");
        Set<String> substituted = new TreeSet<>();
        machine.path("DefinitionSubstitutions").fieldNames().forEachRemaining(substituted::add);
        assertThat(substituted).isEqualTo(placeholders);
    }

    @Test
    void eachFunctionMayCallExactlyItsDynamoDbActionsOnTheTableAndItsIndexes() {
        String table = resources("AWS::DynamoDB::Table").get(0).getKey();
        for (PipelineFunction entry : PipelineFunction.values()) {
            List<String> dynamo = new ArrayList<>();
            for (JsonNode statement : policyOf(entry.id() + "Function")) {
                List<String> acts = actions(statement).stream().filter(a -> a.startsWith("dynamodb:")).toList();
                if (!acts.isEmpty()) {
                    dynamo.addAll(acts);
                    assertThat(statement.path("Resource").toString()).as(entry.name()).contains("\"" + table + "\"");
                    assertThat(statement.path("Resource").toString().contains("/index/*")).as(entry + " may read the indexes")
                            .isEqualTo(entry.dynamoActions().contains("dynamodb:Query"));
                }
            }
            assertThat(new TreeSet<>(dynamo)).as(entry.name()).isEqualTo(new TreeSet<>(entry.dynamoActions()))
                    .doesNotContain("dynamodb:Scan");
            assertThat(dynamo).as(entry.name() + ": one statement, no action twice").doesNotHaveDuplicates();
        }
    }

    @Test
    void eachNeedIsGrantedToExactlyTheFunctionsThatHaveIt() {
        Map<Need, String> marks = Map.of(Need.START_EXECUTIONS, "states:StartExecution", Need.STOP_EXECUTIONS, "states:StopExecution",
                Need.DESCRIBE_EXECUTIONS, "states:DescribeExecution", Need.EVENTS, "events:PutEvents");
        for (PipelineFunction entry : PipelineFunction.values()) {
            List<String> granted = allActions(policyOf(entry.id() + "Function"));
            String policy = policyOf(entry.id() + "Function").toString();
            marks.forEach((need, action) -> assertThat(granted.contains(action)).as(entry + " " + action).isEqualTo(entry.needs(need)));
            assertThat(policy.contains("inputs/*") && granted.contains("s3:GetObject*")).as(entry + " reads inputs")
                    .isEqualTo(entry.needs(Need.INPUTS_READ));
            assertThat(granted.contains("s3:PutObject")).as(entry + " writes objects")
                    .isEqualTo(entry.needs(Need.INPUTS_WRITE) || entry.needs(Need.OUTPUTS_WRITE) || entry.needs(Need.WORK_WRITE));
            assertThat(policy.contains("work/*")).as(entry + " touches work/")
                    .isEqualTo(entry.needs(Need.WORK_READ) || entry.needs(Need.WORK_WRITE));
            assertThat(policy.contains("work/*") && granted.contains("s3:GetObject*")).as(entry + " reads work/")
                    .isEqualTo(entry.needs(Need.WORK_READ));
            assertThat(policy.contains("outputs/*")).as(entry + " touches outputs")
                    .isEqualTo(entry.needs(Need.OUTPUTS_READ) || entry.needs(Need.OUTPUTS_WRITE));
            assertThat(granted).as(entry.name()).allMatch(a -> a.startsWith("dynamodb:") || a.startsWith("s3:")
                    || a.startsWith("states:") || a.startsWith("events:") || a.startsWith("secretsmanager:") || a.startsWith("xray:")
                    // the upload trigger's on-failure destination
                    // the on-failure destinations of the functions invoked asynchronously
                    || (ASYNC.contains(entry) && SEND_TO_QUEUE.contains(a)));
        }
    }

    @Test
    void executionsThatEndOutsideTheirPathsReachTheReconciler() {
        JsonNode rule = rule("ExecutionEndedRule");
        JsonNode pattern = rule.path("EventPattern");
        assertThat(pattern.path("source").toString()).isEqualTo("[\"aws.states\"]");
        assertThat(pattern.path("detail-type").toString()).isEqualTo("[\"Step Functions Execution Status Change\"]");
        List<String> statuses = new ArrayList<>();
        pattern.path("detail").path("status").forEach(s -> statuses.add(s.asText()));
        assertThat(statuses).containsExactlyInAnyOrder("FAILED", "TIMED_OUT", "ABORTED");
        assertThat(pattern.path("detail").path("stateMachineArn").toString()).contains("stateMachine").contains("-outpaint");
        assertThat(targets(rule)).containsExactly("ReconcileLive");
        assertThat(rule.path("Targets").get(0).path("DeadLetterConfig").isMissingNode()).isFalse();
        assertInvokableByEvents("ReconcileLive");
    }

    @Test
    void eventsTheReconcilerOrTheSweepFailedOnAreKeptInTheEventFailuresQueue() {
        for (String alias : List.of("ReconcileLive", "SweepLive")) {
            JsonNode config = null;
            for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) () -> Synthesized.JSON.path("Resources").fields()) {
                JsonNode props = e.getValue().path("Properties");
                if (e.getValue().path("Type").asText().equals("AWS::Lambda::EventInvokeConfig")
                        && props.path("FunctionName").toString().contains(alias.replace("Live", "Function"))) {
                    config = props;
                }
            }
            assertThat(config).as(alias + " has an EventInvokeConfig").isNotNull();
            assertThat(config.path("DestinationConfig").path("OnFailure").path("Destination").toString())
                    .as(alias).contains("EventFailures");
        }
    }

    @Test
    void theSweepRunsOnASchedule() {
        JsonNode rule = rule("SweepSchedule");
        assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(5 minutes)");
        assertThat(targets(rule)).containsExactly("SweepLive");
        assertInvokableByEvents("SweepLive");
    }

    @Test
    void theReconcilerAndTheSweepHoldOnlyWhatTheyUse() {
        assertThat(new TreeSet<>(allActions(policyOf("ReconcileFunction")))).isEqualTo(new TreeSet<>(List.of(
                "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "states:StartExecution",
                "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage", "xray:PutTraceSegments", "xray:PutTelemetryRecords")));
        // the sweep reads inputs/ too: an API job's upload whose S3 event was lost is found and checked as the trigger would;
        // and Scenario's secret: a queued job whose shape has no price yet is priced by a dry run at the latest by the sweep;
        // the webhook secret and the event bus: a clip its fan-in repair fails is notified by the sweep; PutItem: the price a
        // dry run found is kept in the book (a #price# item of the table), and the fan-in's repair creates segment jobs
        assertThat(new TreeSet<>(allActions(policyOf("SweepFunction")))).isEqualTo(new TreeSet<>(List.of(
                "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:PutItem", "states:StartExecution",
                "states:DescribeExecution",
                "s3:GetBucket*", "s3:GetObject*", "s3:List*", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                "events:PutEvents",
                "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage", "xray:PutTraceSegments", "xray:PutTelemetryRecords")));
        JsonNode sweepVariables = Synthesized.function(PipelineFunction.SWEEP).getValue().path("Properties").path("Environment")
                .path("Variables");
        assertThat(sweepVariables.has("SCENARIO_SECRET_ARN")).isTrue();
        assertThat(sweepVariables.has("WEBHOOK_SECRET_ARN")).as("the notice of a clip the sweep fails is signed").isTrue();
        assertThat(sweepVariables.has("EVENT_BUS_NAME")).isTrue();
        assertThat(Synthesized.function(PipelineFunction.RECONCILE).getValue().path("Properties").path("Environment")
                .path("Variables").has("SCENARIO_SECRET_ARN")).isFalse();
    }

    @Test
    void theSweepPutsItemsInTheJobTableOnlyAndEveryWriterOfThePriceBookMay() {
        List<JsonNode> putting = new ArrayList<>();
        policyOf("SweepFunction").forEach(s -> {
            if (Synthesized.actions(s).contains("dynamodb:PutItem")) {
                putting.add(s);
            }
        });
        // one statement, the table's (and its indexes', which the sweep queries): no wildcard resource, no other table
        assertThat(putting).singleElement().satisfies(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.path("Resource").isArray()).isTrue();
            s.path("Resource").forEach(r -> assertThat(r.toString()).startsWith("{").contains("\"Jobs"));
        });
        // every function that holds Scenario's credentials and prices a job keeps the prices its dry runs find (PutItem): the
        // API, the upload trigger, the Split step, the sweep, and the steps that dispatch the queue when a slot frees
        for (String writer : List.of("ApiFunction", "UploadTriggerFunction", "SplitFunction", "SweepFunction", "CheckStatusFunction",
                "CopyResultsFunction")) {
            assertThat(allActions(policyOf(writer))).as(writer).contains("dynamodb:PutItem");
        }
    }

    private static JsonNode rule(String prefix) {
        return resources("AWS::Events::Rule").stream().filter(r -> r.getKey().startsWith(prefix)).findFirst()
                .orElseThrow().getValue().path("Properties");
    }

    /** The logical ids (prefixes) of the aliases a rule targets. */
    private static List<String> targets(JsonNode rule) {
        List<String> found = new ArrayList<>();
        rule.path("Targets").forEach(t -> found.add(t.path("Arn").path("Ref").asText().replaceAll("[0-9A-F]{8}$", "")));
        return found;
    }

    private static void assertInvokableByEvents(String alias) {
        assertThat(resources("AWS::Lambda::Permission").stream().map(Map.Entry::getValue)
                .filter(p -> p.path("Properties").path("Principal").asText().equals("events.amazonaws.com"))
                .map(p -> p.path("Properties").path("FunctionName").toString()).collect(Collectors.joining()))
                .contains(alias);
    }

    @Test
    void theCommonEnvironmentIsWhatTheStackSets() {
        assertThat(JSON.path("Parameters").has("MaxJobsInFlight")).isTrue();
        JsonNode api = Synthesized.function(PipelineFunction.API).getValue().path("Properties").path("Environment").path("Variables");
        assertThat(api.path("MAX_JOBS_IN_FLIGHT").toString()).contains("MaxJobsInFlight");
    }

    @Test
    void theBudgetIsAParameterGivenToEveryFunctionThatAdmitsJobs() {
        JsonNode units = JSON.path("Parameters").path("BudgetCreativeUnits");
        assertThat(units.path("Default").asText()).isEqualTo("none");
        assertThat("none").matches(units.path("AllowedPattern").asText());
        assertThat("5000").matches(units.path("AllowedPattern").asText());
        assertThat("-1").doesNotMatch(units.path("AllowedPattern").asText());
        assertThat(JSON.path("Parameters").path("BudgetPeriod").path("AllowedValues")).hasSize(2);
        for (PipelineFunction function : PipelineFunction.values()) {
            JsonNode env = Synthesized.function(function).getValue().path("Properties").path("Environment").path("Variables");
            assertThat(env.has("BUDGET_CREATIVE_UNITS")).as(function.id()).isEqualTo(function.needs(PipelineFunction.Need.START_EXECUTIONS));
            if (env.has("BUDGET_CREATIVE_UNITS")) {
                assertThat(env.path("BUDGET_CREATIVE_UNITS").toString()).contains("BudgetCreativeUnits");
                assertThat(env.path("BUDGET_PERIOD").toString()).contains("BudgetPeriod");
            }
        }
        // "none" and the period, as the stack passes them by default, read as no budget
        assertThat(io.outpaint.config.PipelineConfig.fromEnvironment(java.util.Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "BUDGET_CREATIVE_UNITS", "none", "BUDGET_PERIOD", "day")).budget()).isEmpty();
        // and the spend is still kept by the period the stack passes
        assertThat(io.outpaint.config.PipelineConfig.fromEnvironment(java.util.Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "BUDGET_CREATIVE_UNITS", "none", "BUDGET_PERIOD", "month")).booksPeriod()).isEqualTo(io.outpaint.budget.BudgetPeriod.MONTH);
    }
}
