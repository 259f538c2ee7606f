package io.outpaint.local.lambda.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A rehearsed function's environment: every variable the template gives it, a literal as it is and a
 * reference (a table's name, a secret's ARN, a parameter) as the local resource it stands for; beside
 * them only what points the function at the local cloud (the SDK's region, credentials and
 * endpoints) and the local runtime's named settings. The local runtime's plain secrets are never
 * passed: a function reads its secrets by the ARNs the template gives it, as on AWS.
 */
public final class RehearsalEnvironment {

    /** Settings of the local runtime that point at an emulator or scale its times; none is a secret. */
    public static final Set<String> LOCAL_SETTINGS = Set.of("SCENARIO_API_URL", "S3_PATH_STYLE", "SCENARIO_UPLOAD_POLL_MILLIS",
            "POLL_MIN_SECONDS", "POLL_FIRST_SECONDS", "POLL_QUIET_MAX_SECONDS", "MAX_POLL_SECONDS", "TYPICAL_JOB_SECONDS",
            "QUEUE_INDEX_LAG_MILLIS", "UPLOAD_EVENT_GRACE_SECONDS", "WEBHOOK_ALLOW_HTTP");

    private RehearsalEnvironment() {}

    /**
     * @param template the function's variables in the template
     * @param local the local runtime's values, by variable name (references resolve to these)
     * @param cloud the SDK's settings for the local cloud ({@code AWS_*})
     */
    public static Map<String, String> of(Map<String, JsonNode> template, Map<String, String> local, Map<String, String> cloud) {
        return of(template, local, cloud, Map.of());
    }

    /**
     * As {@link #of(Map, Map, Map)}; a reference to a stack parameter that the local runtime has no value
     * for takes the parameter's default, as CloudFormation gives it when the deployment names none.
     */
    public static Map<String, String> of(Map<String, JsonNode> template, Map<String, String> local, Map<String, String> cloud,
                                         Map<String, String> parameterDefaults) {
        Map<String, String> env = new LinkedHashMap<>();
        cloud.forEach((name, value) -> {
            if (name.startsWith("AWS_")) {
                env.put(name, value);
            }
        });
        local.forEach((name, value) -> {
            if (LOCAL_SETTINGS.contains(name)) {
                env.put(name, value);
            }
        });
        template.forEach((name, value) -> {
            if (value.isTextual()) {
                env.put(name, value.asText());
            } else if (local.containsKey(name)) {
                env.put(name, local.get(name));
            } else if (value.path("Ref").isTextual() && parameterDefaults.containsKey(value.path("Ref").asText())) {
                env.put(name, parameterDefaults.get(value.path("Ref").asText()));
            } else {
                throw new IllegalArgumentException("the template's variable " + name + " (" + value + ") has no local value");
            }
        });
        return env;
    }
}
