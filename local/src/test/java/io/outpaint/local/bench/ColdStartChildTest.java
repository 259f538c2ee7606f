package io.outpaint.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.pipeline.PipelineFunction;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child protocol on one function: a fresh JVM builds Reconcile's handler through its
 * no-argument constructor from the environment alone, runs its priming (nothing answers at the
 * endpoints: the priming fails and the function starts regardless), invokes it and reports.
 */
class ColdStartChildTest {

    @Test
    void aFreshJvmBuildsPrimesAndInvokesAFunctionAndReportsItsTimes(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, String> env = new LinkedHashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x",
                "AWS_SECRET_ACCESS_KEY", "y", "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closed,
                "AWS_LAMBDA_FUNCTION_NAME", PipelineFunction.RECONCILE.localName()));
        env.putAll(PipelineFunction.RECONCILE.environment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:outpaint")));
        // a status the rule does not send: the handler answers without calling out
        Path event = Files.writeString(dir.resolve("event.json"), "{\"detail\":{\"status\":\"PENDING_REDRIVE\",\"name\":\"job-1\"}}");
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();

        ColdStartTable.Probe probe = ColdStartChild.run(classpath, env, PipelineFunction.RECONCILE.handler(), true, event, 2,
                dir.resolve("child.log"));

        assertThat(probe.outcome()).isEqualTo("ok");
        assertThat(probe.init()).isPositive();
        assertThat(probe.priming()).isPositive();
        assertThat(probe.primingFailed()).isPositive();
        assertThat(probe.first()).isPositive();
        assertThat(probe.warm()).isPositive();
        assertThat(Files.readString(dir.resolve("child.log"))).contains("primed Reconcile");
    }
}
