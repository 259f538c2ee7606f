package io.outpaint.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.local.LocalPipeline;
import io.outpaint.pipeline.PipelineFunction;
import io.outpaint.pipeline.PipelineServices;
import io.outpaint.priming.Priming;
import io.outpaint.priming.PrimingHook;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every function's SnapStart priming against the real emulators, each function over its own
 * services (its own environment, as on AWS): every step succeeds, and nothing is written (no
 * job, no object, no event, no execution), the refused update and PutEvents included.
 */
class PrimingOnLocalRuntimeTest {

    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withTime(0.01, 100)
                .withJobDuration(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyStepOfEveryFunctionSucceedsAndWritesNothing() throws Exception {
        for (PipelineFunction function : PipelineFunction.values()) {
            Priming priming = Priming.recording();
            handlerFor(function, pipeline.servicesOf(function), priming);
            PrimingHook hook = priming.hooks().get(0);
            PrimingHook.Report report = hook.prime();
            assertThat(report.failed()).as(function + "'s priming steps that failed").isEmpty();
            assertThat(report.primed()).as(function.id()).hasSize(hook.steps().size());
            if (function.dynamoActions().contains("dynamodb:UpdateItem")) {
                assertThat(report.primed()).contains("DynamoDB UpdateItem of an absent job, refused by its condition");
            }
            if (function.needs(PipelineFunction.Need.EVENTS)) {
                assertThat(report.primed()).contains("EventBridge and webhook clients, nothing sent");
            }
        }

        assertThat(pipeline.cloud().dynamoDb().scan(b -> b.tableName(LocalPipeline.TABLE)).count()).as("items in the table").isZero();
        try (var s3 = pipeline.cloud().s3()) {
            assertThat(s3.listObjectVersions(b -> b.bucket(LocalPipeline.BUCKET)).versions()).as("objects in the bucket").isEmpty();
        }
        assertThat(pipeline.cloud().events().received()).as("events sent").isEmpty();
        try (var sfn = pipeline.cloud().stepFunctions()) {
            assertThat(sfn.listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn())).executions()).isEmpty();
        }
    }

    private static Object handlerFor(PipelineFunction function, PipelineServices services, Priming priming) throws Exception {
        Class<?> type = Class.forName(function.handler());
        if (function.isStep()) {
            return type.getConstructor(PipelineFunction.class, PipelineServices.class, Priming.class)
                    .newInstance(function, services, priming);
        }
        return type.getConstructor(PipelineServices.class, Priming.class).newInstance(services, priming);
    }
}
