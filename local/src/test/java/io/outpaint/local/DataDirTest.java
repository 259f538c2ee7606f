package io.outpaint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @TempDir Path dir;

    @Test
    void keepsASecretInAnOwnerOnlyFileAndGivesTheSameOneAfterARestart() throws Exception {
        String first;
        try (DataDir data = DataDir.open(dir.resolve("data"))) {
            first = data.secret("api-key", "local-");
            assertThat(first).startsWith("local-").hasSize("local-".length() + 32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.root().resolve("api-key"))))
                    .isEqualTo("rw-------");
        }
        Files.setPosixFilePermissions(dir.resolve("data/api-key"), PosixFilePermissions.fromString("rw-r--r--"));
        try (DataDir data = DataDir.open(dir.resolve("data"))) {
            assertThat(data.secret("api-key", "local-")).isEqualTo(first);
            // a file opened up by hand is closed again
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.root().resolve("api-key"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void eachCheckoutsBuildKeepsItsOwnDataDirAndAJarElsewhereTheHomeFolders() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        for (String name : new String[] {"one", "two"}) {
            Path checkout = Files.createDirectories(dir.resolve(name + "/local/target"));
            Files.writeString(dir.resolve(name + "/outpaint"), "#!/bin/sh\n");
            Files.writeString(dir.resolve(name + "/local/pom.xml"), "<project/>");
            assertThat(DataDir.defaultLocation(java.util.Optional.of(checkout.resolve("outpaint.jar")), home.toString()))
                    .isEqualTo(dir.resolve(name + "/.outpaint-local").toAbsolutePath());
            // the test classes, as the IDE or Maven runs them
            assertThat(DataDir.defaultLocation(java.util.Optional.of(Files.createDirectories(checkout.resolve("classes"))), home.toString()))
                    .isEqualTo(dir.resolve(name + "/.outpaint-local").toAbsolutePath());
        }
        Path copied = Files.createDirectories(dir.resolve("opt/outpaint"));
        assertThat(DataDir.defaultLocation(java.util.Optional.of(copied.resolve("outpaint.jar")), home.toString()))
                .isEqualTo(home.resolve(".outpaint/local"));
        assertThat(DataDir.defaultLocation(java.util.Optional.empty(), home.toString())).isEqualTo(home.resolve(".outpaint/local"));
    }

    @Test
    void thisCheckoutIsFoundFromItsOwnBuild() {
        // the module's folder is local/ of this checkout: its root holds the launcher
        assertThat(DataDir.defaultLocation()).isEqualTo(Path.of("..").toAbsolutePath().normalize().resolve(".outpaint-local"));
    }

    @Test
    void refusesASecondRuntimeOnTheSameFolderUntilTheFirstLetsGo() throws Exception {
        Path data = dir.resolve("shared");
        try (DataDir first = DataDir.open(data)) {
            assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.InUseException.class)
                    .hasMessageContaining("another outpaint runtime is using " + data.toAbsolutePath());
        }
        DataDir.open(data).close();
    }
}
