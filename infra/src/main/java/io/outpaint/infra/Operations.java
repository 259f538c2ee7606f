package io.outpaint.infra;

import io.outpaint.pipeline.PipelineFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.LogQueryWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;

/**
 * What an operator watches. Alarms, each with the SNS topic as its action, are only for what an
 * operator must act on: a function's errors that are not a step's own outcome, throttles, failures
 * the state machine classifies as internal, executions that ended outside a job outcome, dead
 * letters, the API's 5xx, and the budget's spend past a share of it (a parameter). What users cause
 * (bad input, Scenario refusing or failing a job) goes to the dashboard only, with the spend over time.
 */
final class Operations {

    /** The metrics' namespace and the dimension Powertools adds (POWERTOOLS_SERVICE_NAME). */
    static final String NAMESPACE = "Outpaint";
    static final Map<String, String> SERVICE = Map.of("Service", "outpaint");
    /** Failure codes an operator must act on; every other code is a job outcome users cause. */
    /** What the functions write after each settlement under a budget: the share of it spent in the period. */
    static final String SPENT_SHARE = io.outpaint.pipeline.JobMetrics.SPENT_SHARE;
    /** The creative units Scenario billed, one value per job at its end. */
    static final String BILLED = io.outpaint.pipeline.JobMetrics.BILLED;
    /** A long clip's end after a user's segment retry joined it again: not a second job ended. */
    static final String REJOIN = io.outpaint.pipeline.JobMetrics.REJOIN_PREFIX;
    static final List<String> INTERNAL_CODES = List.of("INTERNAL_ERROR", "STEP_TIMED_OUT", "STEP_FAILED",
            "FUNCTION_CRASHED", "SCENARIO_AUTH_FAILED", "SCENARIO_PROTOCOL_ERROR");

    private final Stack stack;
    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();

    Operations(Stack stack, Map<PipelineFunction, Function> functions, Map<PipelineFunction, LogGroup> logs,
               StateMachine machine, List<Queue> deadLetters, HttpFront api) {
        this.stack = stack;
        topic = Topic.Builder.create(stack, "Alarms").displayName("outpaint alarms").enforceSsl(true).build();
        CfnParameter email = CfnParameter.Builder.create(stack, "AlarmEmail").type("String").defaultValue("")
                .description("E-mail address told of every alarm (empty: subscribe to the Alarms topic yourself)").build();
        CfnCondition hasEmail = CfnCondition.Builder.create(stack, "HasAlarmEmail")
                .expression(Fn.conditionNot(Fn.conditionEquals(email.getValueAsString(), ""))).build();
        CfnSubscription subscription = CfnSubscription.Builder.create(stack, "AlarmEmailSubscription")
                .topicArn(topic.getTopicArn()).protocol("email").endpoint(email.getValueAsString()).build();
        subscription.getCfnOptions().setCondition(hasEmail);
        Nag.ack(subscription, "Serverless-SNSRedrivePolicy", "An e-mail subscription: a notice that cannot be delivered"
                + " leaves the alarm itself in ALARM, visible in CloudWatch and on the dashboard");

        functions.forEach((entry, fn) -> {
            IMetric errors = fn.metricErrors(sum());
            if (entry.isStep()) {
                // a step's own exceptions are job outcomes the state machine catches; what is left crashed
                errors = MathExpression.Builder.create().expression("FILL(errors, 0) - FILL(caught, 0)")
                        .usingMetrics(Map.of("errors", errors, "caught", metric(entry.id() + "Error")))
                        .label(entry.id() + " errors not raised by the step").period(Duration.minutes(5)).build();
            }
            alarm(entry.id() + "ErrorsAlarm", entry.id() + ": invocations that crashed (timeouts, out of memory, bugs)", errors);
            alarm(entry.id() + "ThrottlesAlarm", entry.id() + ": throttled invocations", fn.metricThrottles(sum()));
        });
        alarm("InternalFailuresAlarm", "Jobs that ended with a failure an operator must look at (" + String.join(", ",
                INTERNAL_CODES) + ")", logMetric(logs.get(PipelineFunction.RECORD_FAILURE), "InternalFailures",
                FilterPattern.anyTermGroup(INTERNAL_CODES.stream().map(code -> List.of("job ends", code)).toList()
                        .toArray(List[]::new))));
        alarm("ExecutionsOutsideOutcomesAlarm", "Executions that ended FAILED, TIMED_OUT or ABORTED while their job had not"
                + " ended: the reconciler had to end the job", logMetric(logs.get(PipelineFunction.RECONCILE),
                "ExecutionsOutsideOutcomes", FilterPattern.allTerms("reconciled")));
        alarm("ExecutionsTimedOutAlarm", "Executions that ran into the state machine's own 24-hour limit",
                machine.metricTimedOut(sum()));
        for (Queue queue : deadLetters) {
            alarm(queue.getNode().getId() + "Alarm", "Events in " + queue.getNode().getId() + " (not handled)",
                    queue.metricApproximateNumberOfMessagesVisible(
                            software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().statistic("Maximum")
                                    .period(Duration.minutes(5)).build()));
        }
        alarm("ApiServerErrorsAlarm", "HTTP API answers 5xx", api.api().metricServerError(sum()));
        budgetAlarm();

        dashboard(machine, logs);
    }

    private void dashboard(StateMachine machine, Map<PipelineFunction, LogGroup> logs) {
        List<IWidget> row1 = List.of(
                graph("Jobs started and ended", machine.metricStarted(sum()), metric("JobSUCCEEDED"), metric("JobFAILED"),
                        metric("JobTIMED_OUT"), metric("JobCANCELED"), metric(REJOIN + "SUCCEEDED"), metric(REJOIN + "FAILED")),
                graph("Executions", machine.metricSucceeded(sum()), machine.metricFailed(sum()), machine.metricAborted(sum()),
                        machine.metricTimedOut(sum())));
        List<IWidget> row2 = List.of(
                LogQueryWidget.Builder.create().title("Jobs failed, by code").width(12)
                        .logGroupNames(List.of(logs.get(PipelineFunction.RECORD_FAILURE).getLogGroupName()))
                        .queryLines(List.of("filter message like /job ends/",
                                "parse message 'job ends *: * *' as status, code, detail",
                                "stats count(*) as jobs by status, code", "sort jobs desc")).build(),
                LogQueryWidget.Builder.create().title("Jobs that waited for a slot").width(12)
                        .logGroupNames(List.of(logs.get(PipelineFunction.ADMIT).getLogGroupName()))
                        .queryLines(List.of("filter message like /waits for a slot/", "stats count(*) as waiting by bin(5m)"))
                        .build());
        List<IMetric> durations = new ArrayList<>();
        for (PipelineFunction entry : PipelineFunction.values()) {
            if (entry.isStep()) {
                durations.add(metric(entry.id() + "Duration", "p90"));
            }
        }
        List<IWidget> row3 = List.of(
                graph("Time in each step (p90, ms)", durations.toArray(IMetric[]::new)),
                graph("Scenario latency: steps that call Scenario (p50 / p90, ms)",
                        metric("UploadInputDuration", "p50"), metric("SubmitDuration", "p50"), metric("CheckStatusDuration", "p50"),
                        metric("SubmitDuration", "p90"), metric("CheckStatusDuration", "p90")));
        List<IWidget> row4 = List.of(
                GraphWidget.Builder.create().title("Creative units billed (per hour)").width(12)
                        .left(List.of(Metric.Builder.create().namespace(NAMESPACE).metricName(BILLED).dimensionsMap(SERVICE)
                                .statistic("Sum").period(Duration.hours(1)).label("billed").build())).build(),
                GraphWidget.Builder.create().title("Budget spent this period (%)").width(12)
                        .left(List.of(metric(SPENT_SHARE, "Maximum"))).build());
        Dashboard.Builder.create(stack, "Dashboard").dashboardName(stack.getStackName() + "-outpaint")
                .widgets(List.of(row1, row2, row3, row4)).build();
    }

    /**
     * The period's spend past BudgetAlarmPercent of BudgetCreativeUnits. The functions write the share
     * themselves (they know the budget and the period's books): a threshold on a sum of billed units would
     * need the budget's arithmetic in the template, and a sliding window is not a calendar day or month.
     * Without a budget the metric is never written and the alarm stays quiet.
     */
    private void budgetAlarm() {
        CfnParameter share = CfnParameter.Builder.create(stack, "BudgetAlarmPercent").type("Number").defaultValue(80)
                .minValue(1).maxValue(100).description("The operators are told when this share (percent) of BudgetCreativeUnits"
                        + " is spent in a BudgetPeriod").build();
        // between settlements there is no datapoint: the state holds until the next one (the new period's first is below)
        alarm("BudgetSpentAlarm", "The creative units spent this budget period passed BudgetAlarmPercent of the budget",
                metric(SPENT_SHARE, "Maximum"), share.getValueAsNumber(), TreatMissingData.IGNORE);
    }

    private void alarm(String id, String what, IMetric metric) {
        alarm(id, what, metric, 1, TreatMissingData.NOT_BREACHING);
    }

    private void alarm(String id, String what, IMetric metric, Number threshold, TreatMissingData missing) {
        Alarm alarm = Alarm.Builder.create(stack, id).alarmDescription(what).metric(metric).threshold(threshold).evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(missing).build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    private Metric logMetric(LogGroup group, String name, software.amazon.awscdk.services.logs.IFilterPattern pattern) {
        return MetricFilter.Builder.create(stack, name + "Filter").logGroup(group).metricNamespace(NAMESPACE)
                .metricName(name).filterPattern(pattern).metricValue("1").build().metric(sum());
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).width(12).left(List.of(metrics)).build();
    }

    private static Metric metric(String name) {
        return metric(name, "Sum");
    }

    private static Metric metric(String name, String statistic) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name).dimensionsMap(SERVICE).statistic(statistic)
                .period(Duration.minutes(5)).build();
    }

    private static software.amazon.awscdk.services.cloudwatch.MetricOptions sum() {
        return software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().statistic("Sum")
                .period(Duration.minutes(5)).build();
    }
}
