package io.outpaint.local.testing;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records, for every function the local Lambda endpoint runs, the AWS actions its SDK calls make,
 * named as IAM names them ({@code dynamodb:GetItem}). Registered for every client of the test JVM
 * through the SDK's global interceptors file; a call is the function's when made on the thread the
 * endpoint names after it.
 */
public final class CallsByFunction implements ExecutionInterceptor {

    private static final Map<String, Set<String>> CALLS = new ConcurrentHashMap<>();
    private static final Map<String, String> IAM_PREFIX = Map.of("DynamoDb", "dynamodb", "Sfn", "states",
            "S3", "s3", "EventBridge", "events", "Lambda", "lambda", "SecretsManager", "secretsmanager");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String thread = Thread.currentThread().getName();
        if (!thread.startsWith("lambda:")) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String prefix = IAM_PREFIX.getOrDefault(service, service.toLowerCase(Locale.ROOT));
        CALLS.computeIfAbsent(thread.substring("lambda:".length()), f -> ConcurrentHashMap.newKeySet()).add(prefix + ":" + operation);
    }

    /** What each function (by its local name) has called since the last {@link #clear()}. */
    public static Map<String, Set<String>> calls() {
        return Map.copyOf(CALLS);
    }

    public static void clear() {
        CALLS.clear();
    }
}
