package io.outpaint.local.lambda.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.aws.SecretsManagerEndpoint;
import io.outpaint.pipeline.PipelineFunction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rehearsed function runs against: the local runtime's emulators and Scenario, and a Secrets
 * Manager endpoint holding the local runtime's Scenario key and webhook secret under the ARNs that
 * the template's references resolve to, so a function reads its secrets as it does on AWS.
 */
public final class RehearsalCloud implements AutoCloseable {

    public static final String SCENARIO_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:outpaint-scenario-AbCdEf";
    public static final String WEBHOOK_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:outpaint-webhook-AbCdEf";

    private final LocalPipeline pipeline;
    private final SecretsManagerEndpoint secrets;
    private final Map<String, String> parameterDefaults;

    public RehearsalCloud(LocalPipeline pipeline) throws IOException {
        this(pipeline, Map.of());
    }

    /** With the template's parameter defaults, for references the local runtime has no value of its own for. */
    public RehearsalCloud(LocalPipeline pipeline, Map<String, String> parameterDefaults) throws IOException {
        this.pipeline = pipeline;
        this.parameterDefaults = Map.copyOf(parameterDefaults);
        this.secrets = new SecretsManagerEndpoint();
        Map<String, String> all = pipeline.functionEnvironment(PipelineFunction.API);
        Map<String, String> scenario = pipeline.functionEnvironment(PipelineFunction.SUBMIT);
        secrets.put(SCENARIO_SECRET_ARN, new ObjectMapper().createObjectNode().put("apiKey", scenario.get("SCENARIO_API_KEY"))
                .put("apiSecret", scenario.get("SCENARIO_API_SECRET")).toString());
        secrets.put(WEBHOOK_SECRET_ARN, all.get("WEBHOOK_SECRET"));
    }

    /** How to start {@code entry}'s function, as the template describes it, from the task root its asset was unpacked into. */
    public RuntimeClientLauncher.Launch launch(PipelineFunction entry, CloudAssembly.Function function, Path taskRoot) {
        Map<String, String> local = new LinkedHashMap<>(pipeline.functionEnvironment(entry));
        local.put("SCENARIO_SECRET_ARN", SCENARIO_SECRET_ARN);
        local.put("WEBHOOK_SECRET_ARN", WEBHOOK_SECRET_ARN);
        Map<String, String> cloud = new LinkedHashMap<>(pipeline.cloud().environment());
        cloud.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.url());
        return new RuntimeClientLauncher.Launch(entry.id(), function.handler(), function.memoryMb(), taskRoot,
                RehearsalEnvironment.of(function.environment(), local, cloud, parameterDefaults), function.snapStart());
    }

    @Override
    public void close() {
        secrets.close();
    }
}
