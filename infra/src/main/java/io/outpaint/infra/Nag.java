package io.outpaint.infra;

import io.outpaint.pipeline.PipelineFunction;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.IConstruct;

/**
 * cdk-nag acknowledgments (each with its reason, called beside the resource it is about) and the
 * fixes for CDK's own helper function.
 */
final class Nag {

    /** The id CDK gives its bucket-notifications helper function (a singleton per stack). */
    static final String NOTIFICATIONS_HANDLER = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";
    static final String BASIC_EXECUTION_ROLE =
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    private Nag() {}

    static void ack(IConstruct construct, String id, String reason) {
        if (id.contains("[")) {
            // acknowledge() refuses "::" (CDK reserves it), yet cdk-nag's finding ids carry it
            // (IAM5[Action::s3:GetObject*]): the same metadata entry cdk-nag reads, written directly
            construct.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, java.util.Map.of(id, reason));
        } else {
            Validations.of(construct).acknowledge(Acknowledgment.builder().id(id).reason(reason).build());
        }
    }

    /** What every catalogue function shares and why it is acceptable. */
    static void functionDefaults(Function fn, PipelineFunction entry) {
        ack(fn, "AwsSolutions-IAM4[" + BASIC_EXECUTION_ROLE + "]", "The AWS-managed basic execution role only lets the"
                + " function write its own logs");
        ack(fn, "AwsSolutions-IAM5[Resource::*]", "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource"
                + " (added by CDK for active tracing)");
        ack(fn, "AwsSolutions-L1", "java21 is the newest Java runtime on which SnapStart and this project's Lambda"
                + " package are tested; java25 is a separate, deliberate move");
        ack(fn, "Serverless-LambdaLatestVersion", "java21 is the newest Java runtime on which SnapStart and this project's"
                + " Lambda package are tested; java25 is a separate, deliberate move");
        ack(fn, "Serverless-LambdaDLQ", switch (entry) {
            case UPLOAD_TRIGGER -> "Failed S3 events go to the TriggerFailures queue through the live alias's on-failure destination";
            case RECONCILE, SWEEP -> "Events this function failed on go to the EventFailures queue through the live alias's"
                    + " on-failure destination (an alias's destination, which this rule does not see)";
            default -> "Invoked synchronously (Step Functions, API Gateway): the caller sees the error and retries";
        });
    }

    /** CDK's bucket-notifications helper: its logs expire, and its findings carry a reason. */
    static void bucketNotificationsHandler(Stack stack) {
        IConstruct handler = stack.getNode().tryFindChild(NOTIFICATIONS_HANDLER);
        if (handler == null) {
            throw new IllegalStateException("CDK's bucket-notifications handler is not where this stack expects it");
        }
        CfnResource fn = (CfnResource) handler.getNode().findChild("Resource");
        LogGroup logs = LogGroup.Builder.create(stack, "BucketNotificationsLogs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        fn.addPropertyOverride("LoggingConfig", java.util.Map.of("LogGroup", logs.getLogGroupName()));
        fn.getNode().addDependency(logs);
        String why = "CDK's own helper that sets the bucket's notification configuration once per deployment";
        ack(handler, "AwsSolutions-IAM4[" + BASIC_EXECUTION_ROLE + "]", why + "; the managed policy lets it write its logs only");
    }
}
