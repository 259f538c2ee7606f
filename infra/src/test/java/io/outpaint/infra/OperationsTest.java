package io.outpaint.infra;

import static io.outpaint.infra.Synthesized.JSON;
import static io.outpaint.infra.Synthesized.TEMPLATE;
import static io.outpaint.infra.Synthesized.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.PipelineFunction;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What an operator gets: a throttled, logged API; alarms that reach someone; a dashboard of job outcomes. */
class OperationsTest {

    @Test
    void theDefaultStageIsThrottledByParametersAndEstimateMoreTightly() {
        JsonNode stage = single("AWS::ApiGatewayV2::Stage");
        assertThat(stage.path("StageName").asText()).isEqualTo("$default");
        assertThat(stage.path("AutoDeploy").asBoolean()).isTrue();
        JsonNode defaults = stage.path("DefaultRouteSettings");
        assertThat(defaults.path("ThrottlingRateLimit").path("Ref").asText()).isEqualTo("ApiRateLimit");
        assertThat(defaults.path("ThrottlingBurstLimit").path("Ref").asText()).isEqualTo("ApiBurstLimit");
        JsonNode estimate = stage.path("RouteSettings").path(HttpFront.ESTIMATE);
        assertThat(estimate.path("ThrottlingRateLimit").path("Ref").asText()).isEqualTo("EstimateRateLimit");
        assertThat(estimate.path("ThrottlingBurstLimit").path("Ref").asText()).isEqualTo("EstimateBurstLimit");
        JsonNode params = JSON.path("Parameters");
        assertThat(params.path("EstimateRateLimit").path("Default").asDouble())
                .isPositive().isLessThan(params.path("ApiRateLimit").path("Default").asDouble());
        assertThat(params.path("EstimateBurstLimit").path("Default").asDouble())
                .isPositive().isLessThan(params.path("ApiBurstLimit").path("Default").asDouble());
    }

    @Test
    void accessLogsAreJsonAndExpire() throws Exception {
        JsonNode stage = single("AWS::ApiGatewayV2::Stage");
        JsonNode settings = stage.path("AccessLogSettings");
        JsonNode format = new ObjectMapper().readTree(settings.path("Format").asText());
        assertThat(format.fieldNames()).toIterable().contains("requestId", "routeKey", "status", "latencyMs", "caller");
        String group = settings.path("DestinationArn").path("Fn::GetAtt").get(0).asText();
        assertThat(JSON.path("Resources").path(group).path("Properties").path("RetentionInDays").asInt()).isEqualTo(90);
    }

    @Test
    void everyAlarmTellsTheTopicAndAnEmailCanBeSubscribed() {
        String topic = resources("AWS::SNS::Topic").get(0).getKey();
        var alarms = resources("AWS::CloudWatch::Alarm");
        assertThat(alarms).isNotEmpty();
        for (var alarm : alarms) {
            assertThat(alarm.getValue().path("Properties").path("AlarmActions").toString()).as(alarm.getKey())
                    .isEqualTo("[{\"Ref\":\"" + topic + "\"}]");
        }
        var subscription = resources("AWS::SNS::Subscription").get(0).getValue();
        assertThat(subscription.path("Condition").asText()).isEqualTo("HasAlarmEmail");
        assertThat(subscription.path("Properties").path("Endpoint").path("Ref").asText()).isEqualTo("AlarmEmail");
        assertThat(JSON.path("Parameters").path("AlarmEmail").path("Default").asText()).isEmpty();
    }

    @Test
    void operatorsAreAlarmedOnCrashesThrottlesInternalFailuresStrayExecutionsAndDeadLetters() {
        Set<String> ids = new TreeSet<>();
        resources("AWS::CloudWatch::Alarm").forEach(a -> ids.add(a.getKey().replaceAll("[0-9A-F]{8}$", "")));
        for (PipelineFunction entry : PipelineFunction.values()) {
            assertThat(ids).contains(entry.id() + "ErrorsAlarm", entry.id() + "ThrottlesAlarm");
        }
        assertThat(ids).contains("InternalFailuresAlarm", "ExecutionsOutsideOutcomesAlarm", "ExecutionsTimedOutAlarm",
                "TriggerFailuresAlarm", "EventFailuresAlarm", "ApiServerErrorsAlarm");
        // a step's errors are counted net of the exceptions the step raised itself (job outcomes the ASL catches)
        JsonNode submitErrors = alarm("SubmitErrorsAlarm");
        assertThat(submitErrors.toString()).contains("SubmitError").contains("FILL(errors, 0) - FILL(caught, 0)");
        JsonNode internal = resources("AWS::Logs::MetricFilter").stream()
                .filter(f -> f.getValue().path("Properties").path("MetricTransformations").toString().contains("InternalFailures"))
                .findFirst().orElseThrow().getValue().path("Properties");
        assertThat(internal.path("FilterPattern").asText()).contains("job ends", "INTERNAL_ERROR")
                .doesNotContain("INVALID_INPUT", "SCENARIO_REFUSED_REQUEST");
        assertThat(internal.path("LogGroupName").toString()).contains("RecordFailureLogs");
    }

    @Test
    void outcomesUsersCauseAreNotAlarmedButShownOnTheDashboard() {
        for (var alarm : resources("AWS::CloudWatch::Alarm")) {
            JsonNode p = alarm.getValue().path("Properties");
            // ExecutionsFailed counts every job that did not succeed (bad input included): dashboard only
            assertThat(p.path("MetricName").asText()).as(alarm.getKey()).isNotEqualTo("ExecutionsFailed")
                    .doesNotStartWith("Job");
        }
        String body = dashboard();
        for (String metric : List.of("JobSUCCEEDED", "JobFAILED", "JobTIMED_OUT", "JobCANCELED", "RejoinSUCCEEDED", "RejoinFAILED", "ExecutionsStarted",
                "ExecutionsFailed", "SubmitDuration", "CheckStatusDuration", "UploadInputDuration", "waits for a slot", "job ends")) {
            assertThat(body).as(metric).contains(metric);
        }
        for (PipelineFunction entry : PipelineFunction.values()) {
            if (entry.isStep()) {
                assertThat(body).contains(entry.id() + "Duration");
            }
        }
        assertThat(body).contains("\"Outpaint\"").contains("\"Service\"").contains("\"outpaint\"");
    }

    @Test
    void theBudgetsSpendPastAShareOfItTellsTheTopicAndTheDashboardShowsSpendOverTime() {
        JsonNode share = JSON.path("Parameters").path("BudgetAlarmPercent");
        assertThat(share.path("Type").asText()).isEqualTo("Number");
        assertThat(share.path("Default").asInt()).isEqualTo(80);
        assertThat(share.path("MinValue").asInt()).isEqualTo(1);
        assertThat(share.path("MaxValue").asInt()).isEqualTo(100);

        JsonNode alarm = alarm("BudgetSpentAlarm");
        assertThat(alarm.path("Namespace").asText()).isEqualTo("Outpaint");
        assertThat(alarm.path("MetricName").asText()).isEqualTo(io.outpaint.pipeline.JobMetrics.SPENT_SHARE);
        assertThat(alarm.path("Dimensions").toString()).isEqualTo("[{\"Name\":\"Service\",\"Value\":\"outpaint\"}]");
        assertThat(alarm.path("Statistic").asText()).isEqualTo("Maximum");
        assertThat(alarm.path("Threshold").path("Ref").asText()).isEqualTo("BudgetAlarmPercent");
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("ignore"); // no settlement, no datapoint: the state holds
        String topic = resources("AWS::SNS::Topic").get(0).getKey();
        assertThat(alarm.path("AlarmActions").toString()).isEqualTo("[{\"Ref\":\"" + topic + "\"}]");

        assertThat(dashboard()).contains(io.outpaint.pipeline.JobMetrics.BILLED).contains(io.outpaint.pipeline.JobMetrics.SPENT_SHARE)
                .contains("Creative units billed (per hour)").contains("\"period\":3600");
    }

    @Test
    void theBucketNotificationsHelpersLogsExpire() {
        var helper = resources("AWS::Lambda::Function").stream().filter(f -> f.getKey().startsWith("BucketNotificationsHandler"))
                .findFirst().orElseThrow().getValue();
        String group = helper.path("Properties").path("LoggingConfig").path("LogGroup").path("Ref").asText();
        assertThat(group).startsWith("BucketNotificationsLogs");
        assertThat(JSON.path("Resources").path(group).path("Properties").path("RetentionInDays").asInt()).isEqualTo(30);
        TEMPLATE.resourceCountIs("AWS::Logs::LogGroup", PipelineFunction.values().length + 3);
    }

    private static JsonNode single(String type) {
        var all = resources(type);
        assertThat(all).hasSize(1);
        return all.get(0).getValue().path("Properties");
    }

    private static JsonNode alarm(String prefix) {
        return resources("AWS::CloudWatch::Alarm").stream().filter(a -> a.getKey().startsWith(prefix)).findFirst()
                .orElseThrow().getValue().path("Properties");
    }

    /** The dashboard's body, its Fn::Join parts flattened to text. */
    private static String dashboard() {
        JsonNode body = single("AWS::CloudWatch::Dashboard").path("DashboardBody");
        return body.toString().replace("\\\"", "\"");
    }
}
