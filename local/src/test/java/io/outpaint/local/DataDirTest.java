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

    /** A data dir as a runtime leaves it: the jobs table in DynamoDB Local's file, a bucket with two objects in S3Mock's folder. */
    private static Path template;
    @TempDir static Path shared;

    @org.junit.jupiter.api.BeforeAll
    static void makeADataDirWithARealTableAndBucket() throws Exception {
        template = shared.resolve("template");
        try (DataDir data = DataDir.open(template)) {
            try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults().withDataDir(data.root()),
                    new io.outpaint.local.lambda.FunctionRegistry())) {
                io.outpaint.store.DynamoJobStore.createTableIfMissing(cloud.dynamoDb(), "outpaint-jobs");
                try (var s3 = cloud.s3()) {
                    s3.createBucket(b -> b.bucket("outpaint-local"));
                    s3.putBucketVersioning(b -> b.bucket("outpaint-local").versioningConfiguration(v -> v.status("Enabled")));
                    s3.putObject(b -> b.bucket("outpaint-local").key("inputs/clip.mp4"),
                            software.amazon.awssdk.core.sync.RequestBody.fromString("a video"));
                    s3.putObject(b -> b.bucket("outpaint-local").key("outputs/job-1/outpaint.mp4"),
                            software.amazon.awssdk.core.sync.RequestBody.fromString("its result"));
                }
                // while they run, what the emulators write may take their own modes, inside folders only the user enters
                try (var all = Files.walk(data.root())) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Path reachable = data.root().relativize(p);
                        assertThat(mode(p).substring(3).equals("------") || mode(data.root().resolve(reachable.getName(0))).equals("rwx------"))
                                .as(reachable + " is out of other users' reach").isTrue();
                    }
                }
            }
            data.recordKept("outpaint-local");
        }
    }

    /** A copy of the template to damage. */
    private Path copy() throws Exception {
        Path to = dir.resolve("copy");
        try (var all = Files.walk(template)) {
            for (Path from : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(template.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(target);
                } else if (!from.getFileName().toString().equals(".lock")) {
                    Files.copy(from, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewDataDirIsPrivateToItsUserAndSoIsWhatTheEmulatorsWroteInIt() throws Exception {
        try (DataDir data = DataDir.open(dir.resolve("new/data"))) {
            data.secret("api-key", "local-");
            for (String folder : java.util.List.of("", "dynamodb", "s3")) {
                assertThat(mode(data.root().resolve(folder))).as(folder).isEqualTo("rwx------");
            }
            assertThat(mode(dir.resolve("new"))).as("a parent made for it").isEqualTo("rwx------");
            // the table file is made owner-only before DynamoDB Local opens it: SQLite keeps the mode
            for (String file : java.util.List.of(".lock", "api-key", DataDir.TABLE_FILE)) {
                assertThat(mode(data.root().resolve(file))).as(file).isEqualTo("rw-------");
            }
        }
        // what the emulators wrote in the template (S3Mock's folders and metadata, DynamoDB Local's file), once stopped
        try (var all = Files.walk(template)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                assertThat(mode(p)).as(template.relativize(p).toString()).isIn("rwx------", "rw-------");
            }
        }
    }

    @Test
    void aDataDirOfAnEarlierVersionOpenToOthersIsClosedWhenOpened() throws Exception {
        Path data = copy();
        try (var all = Files.walk(data)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Files.createFile(data.resolve(".lock"));
        DataDir.open(data).close();
        try (var all = Files.walk(data)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                assertThat(mode(p)).as(data.relativize(p).toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    @Test
    void aKeyFileThatIsAFolderIsNamed() throws Exception {
        Path data = copy();
        Files.createDirectories(data.resolve("api-key"));
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessage(data.resolve("api-key") + " is a folder where the runtime keeps its api key: remove it (a new one is made),"
                        + " or put the api key in a file there");
    }

    @Test
    void aDeletedTableFileIsRefusedWhileTheObjectsRemain() throws Exception {
        Path data = copy();
        Files.delete(data.resolve(DataDir.TABLE_FILE));
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessage("the table file " + data.resolve(DataDir.TABLE_FILE) + " is missing, though this data dir kept jobs"
                        + " (their videos are in " + data.resolve("s3/outpaint-local") + "): put the file back from a copy,"
                        + " or move the folder away to start over (its jobs are then forgotten)");
        // nothing was made in its place: a second try says the same
        assertThat(data.resolve(DataDir.TABLE_FILE)).doesNotExist();
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class);
    }

    @Test
    void aDeletedTableFileIsRefusedEvenWithoutTheListOfWhatIsKept() throws Exception {
        // a data dir of an earlier version has no such list: the objects alone show jobs were kept
        Path data = copy();
        Files.delete(data.resolve(DataDir.KEPT));
        Files.delete(data.resolve(DataDir.TABLE_FILE));
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessageStartingWith("the table file " + data.resolve(DataDir.TABLE_FILE) + " is missing");
    }

    @Test
    void aTableFileCutShortIsRefusedSayingSo() throws Exception {
        Path data = copy();
        Path table = data.resolve(DataDir.TABLE_FILE);
        long size = Files.size(table);
        try (var file = java.nio.channels.FileChannel.open(table, java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(size - 100);
        }
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessageStartingWith("the table file " + table + " is damaged (it is " + (size - 100) + " bytes, not a whole number of")
                .hasMessageEndingWith("pages: it was cut short): put it back from a copy, or move the folder away to start over"
                        + " (its jobs are then forgotten)");
    }

    @Test
    void aTableFileCutAtAPageIsRefusedByItsHeadersLength() throws Exception {
        Path data = copy();
        Path table = data.resolve(DataDir.TABLE_FILE);
        int pageSize = java.nio.ByteBuffer.wrap(Files.readAllBytes(table), 16, 2).getShort() & 0xffff;
        long size = Files.size(table);
        try (var file = java.nio.channels.FileChannel.open(table, java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(size - pageSize);
        }
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessageContaining("is damaged (it is " + (size - pageSize) + " bytes, though its header says " + size + ": it was cut short)");
    }

    @Test
    void anEmptiedTableFileIsRefused() throws Exception {
        Path data = copy();
        Files.write(data.resolve(DataDir.TABLE_FILE), new byte[0]);
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessageContaining("is damaged (it is empty, though it held the jobs table)");
        Files.write(data.resolve(DataDir.TABLE_FILE), "not a database at all, but long enough to hold a header of one hundred bytes, yes"
                .repeat(2).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessageContaining("is damaged (it does not start as an SQLite database does)");
    }

    @Test
    void aDeletedObjectsFolderIsRefusedWhileTheTableRemains() throws Exception {
        Path data = copy();
        Folders.deleteTree(data.resolve("s3"));
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessage("the objects' folder " + data.resolve("s3/outpaint-local") + " is missing, though the table file lists jobs"
                        + " whose videos and results were there: put it back from a copy, or move the folder away to start over"
                        + " (its jobs are then forgotten)");
    }

    @Test
    void aDamagedBucketFileIsRefused() throws Exception {
        Path data = copy();
        Path listing = data.resolve("s3/outpaint-local/bucketMetadata.json");
        Files.writeString(listing, Files.readString(listing).substring(0, 40));
        assertThatThrownBy(() -> DataDir.open(data)).isInstanceOf(DataDir.DamagedException.class)
                .hasMessageStartingWith("the bucket file " + listing + " is damaged (it is not S3Mock's JSON)");
    }

    @Test
    void anObjectWhoseFileIsGoneIsTakenOutOfTheListingAndSaid() throws Exception {
        Path data = copy();
        Path bucket = data.resolve("s3/outpaint-local");
        com.fasterxml.jackson.databind.JsonNode objects = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(bucket.resolve("bucketMetadata.json").toFile()).path("objects");
        Path folder = bucket.resolve(objects.path("outputs/job-1/outpaint.mp4").asText());
        Path binary;
        try (var files = Files.list(folder)) {
            binary = files.filter(f -> f.getFileName().toString().endsWith("binaryData")).findFirst().orElseThrow();
        }
        Files.delete(binary);
        try (DataDir opened = DataDir.open(data)) {
            assertThat(opened.repairs()).containsExactly("the object outputs/job-1/outpaint.mp4 of bucket outpaint-local is missing:"
                    + " its file " + binary + " is gone; it is no longer listed (S3 answers it does not exist), what was left is in "
                    + data.resolve("damaged/outpaint-local"));
        }
        com.fasterxml.jackson.databind.JsonNode after = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(bucket.resolve("bucketMetadata.json").toFile()).path("objects");
        assertThat(after.has("outputs/job-1/outpaint.mp4")).isFalse();
        assertThat(after.path("inputs/clip.mp4").asText()).isEqualTo(objects.path("inputs/clip.mp4").asText());
        assertThat(data.resolve("damaged/outpaint-local").resolve(folder.getFileName())).isDirectory();
        // S3 now answers as the listing says: the other object is whole, the lost one does not exist
        try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults().withDataDir(data), new io.outpaint.local.lambda.FunctionRegistry());
             var s3 = cloud.s3()) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("outpaint-local").key("inputs/clip.mp4")).asUtf8String()).isEqualTo("a video");
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("outpaint-local").key("outputs/job-1/outpaint.mp4")))
                    .isInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class);
        }
        try (DataDir again = DataDir.open(data)) {
            assertThat(again.repairs()).isEmpty();
        }
    }
}
