package io.outpaint.infra;

import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineFunction.Need;
import java.util.List;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * A function's permissions, derived from its catalogue entry: exactly its DynamoDB actions on the
 * table and its indexes, and one grant per need. Nothing else is granted to any function.
 */
final class Grants {

    private final Stack stack;
    private final Table table;
    private final Bucket bucket;
    private final ISecret scenarioSecret;
    private final ISecret webhookSecret;
    private final String stateMachineArn;
    private final String executionsArn;

    Grants(Stack stack, Table table, Bucket bucket, ISecret scenarioSecret, ISecret webhookSecret,
           String stateMachineArn, String executionsArn) {
        this.stack = stack;
        this.table = table;
        this.bucket = bucket;
        this.scenarioSecret = scenarioSecret;
        this.webhookSecret = webhookSecret;
        this.stateMachineArn = stateMachineArn;
        this.executionsArn = executionsArn;
    }

    void grant(PipelineFunction entry, Function fn) {
        boolean queries = entry.dynamoActions().contains("dynamodb:Query");
        // the indexes only for the functions that query them
        fn.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(entry.dynamoActions().stream().sorted().toList())
                .resources(queries ? List.of(table.getTableArn(), table.getTableArn() + "/index/*") : List.of(table.getTableArn()))
                .build());
        if (queries) {
            Nag.ack(fn, "AwsSolutions-IAM5[Resource::<" + logicalId(table) + ".Arn>/index/*]",
                    "Queries the job table's indexes (byQueue, byStatus, byCreated) and nothing else");
        }
        for (Need need : entry.needs()) {
            switch (need) {
                case SCENARIO -> scenarioSecret.grantRead(fn);
                case INPUTS_READ -> read(fn, "inputs/*", "reads the uploaded input videos");
                case INPUTS_WRITE -> put(fn, "inputs/*", "hands out upload URLs for input videos");
                case OUTPUTS_READ -> read(fn, "outputs/*", "hands out download URLs for results");
                case OUTPUTS_WRITE -> {
                    read(fn, "outputs/*", "checks the results it copied (HeadObject) when it resumes");
                    put(fn, "outputs/*", "copies Scenario's results (multipart)");
                }
                case WORK_READ -> read(fn, "work/*", "reads a long clip's intermediate files (segment inputs, finished pieces)");
                case WORK_WRITE -> put(fn, "work/*", "writes a long clip's intermediate files (segment inputs, finished pieces)");
                case START_EXECUTIONS -> fn.addToRolePolicy(statement("states:StartExecution", stateMachineArn));
                case STOP_EXECUTIONS -> execution(fn, "states:StopExecution", "cancels a job's execution");
                case DESCRIBE_EXECUTIONS -> execution(fn, "states:DescribeExecution", "looks at a stranded job's execution");
                case WEBHOOK_SECRET -> webhookSecret.grantRead(fn);
                case EVENTS -> fn.addToRolePolicy(statement("events:PutEvents", stack.formatArn(ArnComponents.builder()
                        .service("events").resource("event-bus").resourceName("default").build())));
            }
        }
    }

    private void read(Function fn, String prefix, String why) {
        bucket.grantRead(fn, prefix);
        for (String action : List.of("s3:GetBucket*", "s3:GetObject*", "s3:List*")) {
            Nag.ack(fn, "AwsSolutions-IAM5[Action::" + action + "]", "CDK's read grant, on the bucket and "
                    + prefix + " only: the function " + why);
        }
        Nag.ack(fn, "AwsSolutions-IAM5[Resource::<" + logicalId(bucket) + ".Arn>/" + prefix + "]",
                "Objects under " + prefix + " only: the function " + why);
    }

    private void put(Function fn, String prefix, String why) {
        bucket.grantPut(fn, prefix);
        Nag.ack(fn, "AwsSolutions-IAM5[Action::s3:Abort*]", "CDK's put grant (aborting its own multipart uploads),"
                + " on " + prefix + " only: the function " + why);
        Nag.ack(fn, "AwsSolutions-IAM5[Resource::<" + logicalId(bucket) + ".Arn>/" + prefix + "]",
                "Objects under " + prefix + " only: the function " + why);
    }

    private void execution(Function fn, String action, String why) {
        fn.addToRolePolicy(statement(action, executionsArn));
        Nag.ack(fn, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
                + stack.getStackName() + "-outpaint:*]", "The executions of this stack's state machine only: the function " + why);
    }

    private static PolicyStatement statement(String action, String resource) {
        return PolicyStatement.Builder.create().actions(List.of(action)).resources(List.of(resource)).build();
    }

    private String logicalId(software.constructs.IConstruct construct) {
        return stack.getLogicalId((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
    }
}
