package io.outpaint.local.cli;

import io.outpaint.local.LocalCloud;
import io.outpaint.local.LocalPipeline;
import java.util.LinkedHashMap;
import java.util.Map;

/** The variables {@code serve} prints: what the README's commands and the AWS CLI (1.x and 2.x) need, nothing more. */
final class ServeBanner {

    private ServeBanner() {}

    static Map<String, String> exports(LocalCloud cloud, LocalPipeline pipeline) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> sdk = cloud.environment();
        env.put("AWS_ACCESS_KEY_ID", sdk.get("AWS_ACCESS_KEY_ID"));
        env.put("AWS_SECRET_ACCESS_KEY", sdk.get("AWS_SECRET_ACCESS_KEY"));
        // the AWS CLI 1.x reads only AWS_DEFAULT_REGION; the SDKs and CLI 2.x read AWS_REGION
        env.put("AWS_DEFAULT_REGION", sdk.get("AWS_REGION"));
        env.put("AWS_REGION", sdk.get("AWS_REGION"));
        // the AWS CLI 2.x pages its output through less otherwise
        env.put("AWS_PAGER", "");
        // each AWS CLI call names its endpoint with --endpoint-url, which every CLI version takes
        env.put("S3", cloud.s3Url());
        env.put("SFN", cloud.stepFunctionsUrl());
        env.put("DDB", cloud.dynamoDbUrl());
        env.put("BUCKET", LocalPipeline.BUCKET);
        env.put("TABLE", LocalPipeline.TABLE);
        env.put("STATE_MACHINE_ARN", pipeline.stateMachineArn());
        env.put("OUTPAINT_ENDPOINT", pipeline.httpApi().url());
        env.put("OUTPAINT_API_KEY", pipeline.httpApi().apiKey());
        sdk.forEach((k, v) -> {
            if (k.startsWith("AWS_ENDPOINT_URL")) {
                env.put(k, v);
            }
        });
        return env;
    }
}
