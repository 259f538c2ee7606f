package io.outpaint.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.pipeline.RecordFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The state machine names our exceptions by class in its Retry and Catch: each such name must load
 * and carry the failure code the failure step records (a renamed class would otherwise fall
 * through to INTERNAL_ERROR without any test noticing).
 */
class FailureCodeContractTest {

    @Test
    void everyOutpaintClassTheAslNamesLoadsAndCarriesAFailureCode() throws Exception {
        Set<String> names = ourErrorNames(new ObjectMapper().readTree(Files.readString(asl())));
        assertThat(names).as("the ASL names some of our exceptions").isNotEmpty();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            assertThat(Throwable.class).as(name).isAssignableFrom(type);
            FailureCode code = type.getAnnotation(FailureCode.class);
            assertThat(code).as(name + " carries @FailureCode").isNotNull();
            assertThat(code.value()).as(name).matches("[A-Z][A-Z_]+");
            assertThat(RecordFailure.codeOf(name)).as(name).isEqualTo(code.value());
        }
    }

    private static Set<String> ourErrorNames(JsonNode node) {
        Set<String> found = new TreeSet<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("ErrorEquals")) {
                    e.getValue().forEach(n -> {
                        if (n.asText().startsWith("io.outpaint.")) {
                            found.add(n.asText());
                        }
                    });
                } else {
                    found.addAll(ourErrorNames(e.getValue()));
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> found.addAll(ourErrorNames(n)));
        }
        return found;
    }

    private static Path asl() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("statemachine/outpaint.asl.json");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IOException("statemachine/outpaint.asl.json not found above " + Path.of("").toAbsolutePath());
    }
}
