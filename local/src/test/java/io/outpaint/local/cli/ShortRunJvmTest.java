package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which command lines move to a C1-only JVM, and what that JVM is given. */
class ShortRunJvmTest {

    private static final String HOME = "/opt/jdk";
    private static final String JAR = "/work/local/target/outpaint.jar";

    @Test
    void runMovesWithTheUsersFlagsAndArgumentsAndOnlyC1() {
        List<String> command = ShortRunJvm.commandFor(new String[] {"--debug", "run", "in.mp4", "-o", "out.mp4"},
                List.of("-Xmx2g", "-Dx=y"), HOME, JAR).orElseThrow();
        assertThat(command).containsExactly(Path.of(HOME, "bin", "java").toString(), "-Xmx2g", "-Dx=y",
                "-XX:TieredStopAtLevel=1", "-D" + ShortRunJvm.MARK + "=" + ProcessHandle.current().pid(), "-cp", JAR, Outpaint.class.getName(),
                "--debug", "run", "in.mp4", "-o", "out.mp4");
    }

    @Test
    void otherCommandsStayInThisJvm() {
        for (String[] args : List.of(new String[] {"serve"}, new String[] {"bench", "load"}, new String[] {}, new String[] {"status", "run"},
                new String[] {"--help"})) {
            assertThat(ShortRunJvm.commandFor(args, List.of(), HOME, JAR)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void aJvmWhoseCompilerWasChosenOrThatIsDebuggedOrAlreadyMovedStays() {
        for (String flag : List.of("-XX:TieredStopAtLevel=4", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-D" + ShortRunJvm.MARK + "=true")) {
            assertThat(ShortRunJvm.commandFor(new String[] {"run"}, List.of(flag), HOME, JAR)).as(flag).isEmpty();
        }
        assertThat(ShortRunJvm.commandFor(new String[] {"run"}, List.of(), HOME, "")).as("no class path known").isEmpty();
    }
}
