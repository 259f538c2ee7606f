package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which command lines move to a C1-only JVM, and what that JVM is given. */
class C1JvmTest {

    private static final String HOME = "/opt/jdk";
    private static final String JAR = "/work/local/target/outpaint.jar";

    @Test
    void runMovesWithTheUsersFlagsAndArgumentsAndOnlyC1() {
        List<String> command = C1Jvm.commandFor(new String[] {"--debug", "run", "in.mp4", "-o", "out.mp4"},
                List.of("-Xmx2g", "-Dx=y"), HOME, JAR).orElseThrow();
        assertThat(command).containsExactly(Path.of(HOME, "bin", "java").toString(), "-Xmx2g", "-Dx=y",
                "-XX:TieredStopAtLevel=1", "-D" + C1Jvm.MARK + "=" + ProcessHandle.current().pid(), "-cp", JAR, Outpaint.class.getName(),
                "--debug", "run", "in.mp4", "-o", "out.mp4");
    }

    @Test
    void serveAndTheLoadBenchmarkMoveToo() {
        for (String[] args : List.of(new String[] {"serve", "--max-jobs", "100"}, new String[] {"bench", "load", "--jobs", "10"}, new String[] {"bench", "long", "--seconds", "40"},
                new String[] {"--debug", "serve"})) {
            assertThat(C1Jvm.commandFor(args, List.of(), HOME, JAR)).as(String.join(" ", args)).get()
                    .satisfies(c -> assertThat(c).contains("-XX:TieredStopAtLevel=1").endsWith(args));
        }
    }

    @Test
    void otherCommandsStayInThisJvm() {
        for (String[] args : List.of(new String[] {"bench", "backlog"}, new String[] {"bench"}, new String[] {}, new String[] {"status", "run"},
                new String[] {"--help"}, new String[] {"simulator"}, new String[] {"list", "serve"})) {
            assertThat(C1Jvm.commandFor(args, List.of(), HOME, JAR)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void aJvmWhoseCompilerWasChosenOrThatIsDebuggedOrAlreadyMovedOrHoldsAPortFileOrAgentStays() {
        for (String flag : List.of("-XX:TieredStopAtLevel=4", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-D" + C1Jvm.MARK + "=true", "-Dcom.sun.management.jmxremote.port=39999", "-javaagent:/opt/agent.jar",
                "-XX:StartFlightRecording=filename=/tmp/x.jfr", "-Xlog:gc:file=/tmp/gc.log", "-Xrunjdwp:transport=dt_socket,server=y")) {
            assertThat(C1Jvm.commandFor(new String[] {"run"}, List.of(flag), HOME, JAR)).as(flag).isEmpty();
        }
        assertThat(C1Jvm.commandFor(new String[] {"run"}, List.of(), HOME, "")).as("no class path known").isEmpty();
    }
}
