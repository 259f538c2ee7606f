package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./outpaint} launcher, copied into a checkout of its own shape, with stand-ins for
 * {@code java} and {@code mvn} on the PATH that write down how they were called: cheap, and no JVM started.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("outpaint");
    private static final FileTime BUILT = FileTime.from(Instant.now().minusSeconds(86_400));

    @TempDir Path dir;
    private Path checkout;
    private Path jar;
    private Path calls;
    private Path bin;

    @BeforeEach
    void checkout() throws IOException {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(LAUNCHER, checkout.resolve("outpaint"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        for (String source : List.of("functions/src/main/java/A.java", "local/src/main/java/B.java", "local/simulator/src/main/C.java",
                "local/src/test/java/BTest.java",
                "statemachine/outpaint.asl.json", "pom.xml", "local/pom.xml")) {
            Path file = Files.createDirectories(checkout.resolve(source).getParent()).resolve(Path.of(source).getFileName());
            Files.writeString(file, "x");
        }
        // folders count too (a deleted source changes its folder's time): all of it older than the jar
        try (var all = Files.walk(checkout)) {
            for (Path path : all.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(BUILT.toInstant().minusSeconds(3600)));
            }
        }
        jar = checkout.resolve("local/target/outpaint.jar");
        calls = dir.resolve("calls.txt");
        bin = Files.createDirectories(dir.resolve("bin"));
        stub("java", "echo \"java $*\" >> '" + calls + "'");
        stub("mvn", "echo \"mvn $* in $PWD\" >> '" + calls + "'; mkdir -p local/target; : > local/target/outpaint.jar");
    }

    @Test
    void theLauncherIsAnExecutableShellScript() throws IOException {
        assertThat(LAUNCHER).isExecutable();
        assertThat(Files.readAllLines(LAUNCHER).get(0)).isEqualTo("#!/bin/sh");
    }

    @Test
    void aJarNewerThanEverySourceRunsAsItIsFromAnyFolder() throws Exception {
        jarBuiltAt(BUILT);

        Process launcher = launch(checkout.resolve("outpaint"), "--version");

        assertThat(launcher.waitFor()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly("java -jar " + checkout.toRealPath() + "/local/target/outpaint.jar --version");
        assertThat(stderrOf(launcher)).isEmpty();
    }

    @Test
    void aSymbolicLinkOnThePathFindsItsCheckout() throws Exception {
        jarBuiltAt(BUILT);
        Path link = Files.createSymbolicLink(bin.resolve("outpaint"), checkout.resolve("outpaint"));

        Process launcher = launch(link, "list", "--status", "RUNNING");

        assertThat(launcher.waitFor()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly(
                "java -jar " + checkout.toRealPath() + "/local/target/outpaint.jar list --status RUNNING");
    }

    @Test
    void aTestNewerThanTheJarBuildsNothingSinceTheJarHoldsNoTests() throws Exception {
        jarBuiltAt(BUILT);
        Files.setLastModifiedTime(checkout.resolve("local/src/test/java/BTest.java"), FileTime.from(BUILT.toInstant().plusSeconds(60)));

        Process launcher = launch(checkout.resolve("outpaint"), "--version");

        assertThat(launcher.waitFor()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly("java -jar " + checkout.toRealPath() + "/local/target/outpaint.jar --version");
    }

    @Test
    void aSourceNewerThanTheJarIsBuiltFirstInTheCheckout() throws Exception {
        jarBuiltAt(BUILT);
        Files.setLastModifiedTime(checkout.resolve("local/src/main/java/B.java"), FileTime.from(BUILT.toInstant().plusSeconds(60)));

        Process launcher = launch(checkout.resolve("outpaint"), "--help");

        assertThat(launcher.waitFor()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly(
                "mvn -B -ntp -q -pl local -am package -DskipTests in " + checkout.toRealPath(),
                "java -jar " + checkout.toRealPath() + "/local/target/outpaint.jar --help");
        assertThat(stderrOf(launcher)).contains("outpaint: building local/target/outpaint.jar");
    }

    @Test
    void aMissingJarIsBuiltAndABuildThatFailsRunsNothing() throws Exception {
        stub("mvn", "echo \"mvn $*\" >> '" + calls + "'; exit 1");

        Process launcher = launch(checkout.resolve("outpaint"), "run");

        assertThat(launcher.waitFor()).isEqualTo(1);
        assertThat(Files.readAllLines(calls)).containsExactly("mvn -B -ntp -q -pl local -am package -DskipTests");
        assertThat(stderrOf(launcher)).contains("outpaint: the build failed (above); nothing was run");
    }

    private void jarBuiltAt(FileTime time) throws IOException {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not run: java is a stand-in");
        Files.setLastModifiedTime(jar, time);
    }

    private void stub(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The launcher from a folder outside the checkout, with only the stand-ins and the system's tools on the PATH. */
    private Process launch(Path launcher, String... args) throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + ":/usr/bin:/bin");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static String stderrOf(Process process) throws IOException {
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
