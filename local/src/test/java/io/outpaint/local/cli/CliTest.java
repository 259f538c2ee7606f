package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees from the CLI before any runtime starts: help, usage errors, one line each, exit codes. */
class CliTest {

    @TempDir Path dir;
    @RegisterExtension final CapturedConsole console = new CapturedConsole();
    private final ByteArrayOutputStream out = console.out;
    private final ByteArrayOutputStream err = console.err;

    private String out() { return console.out(); }
    private String err() { return console.err(); }

    @Test
    void everyFormOfHelpAndVersionPrintsAndExitsZero() {
        assertThat(Outpaint.execute("run", "--help")).isZero();
        assertThat(out()).startsWith("Usage: outpaint run [-hV]").contains("--output=FILE|FOLDER").contains("--num-frames=VALUE");
        out.reset();
        assertThat(Outpaint.execute("run", "-h")).isZero();
        assertThat(out()).startsWith("Usage: outpaint run");
        out.reset();
        assertThat(Outpaint.execute("run", "-V")).isZero();
        assertThat(out()).isEqualTo("outpaint 0.1.0" + System.lineSeparator());
        for (String command : new String[] {"serve", "console", "simulator", "bench", "submit", "get", "wait", "list", "status", "cancel", "retry-segment", "estimate", "usage"}) {
            out.reset();
            assertThat(Outpaint.execute(command, "--help")).as(command).isZero();
            assertThat(out()).as(command).startsWith("Usage: outpaint " + command);
        }
        assertThat(err()).isEmpty();
    }

    @Test
    void aBenchmarksTableIsNotInterleavedWithLogLines() {
        PrintStream savedSystemOut = System.out;
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
        try {
            assertThat(Outpaint.execute("bench", "polling", "--minutes", "1")).isZero();
        } finally {
            System.setOut(savedSystemOut);
        }
        assertThat(out()).contains("1 min    first job").contains("1 min    known length").doesNotContain("INFO");
        // the Scenario client logs each job it creates: those lines went to the benchmark's log file, not here
        assertThat(systemOut.toString(StandardCharsets.UTF_8)).doesNotContain("ScenarioClient");
    }

    @Test
    void theBareCommandListsEveryCommand() {
        assertThat(Outpaint.execute()).isZero();
        assertThat(out()).contains("Commands:");
        for (String command : new String[] {"serve", "console", "simulator", "bench", "run", "submit", "get", "wait", "list", "status", "cancel", "retry-segment", "estimate", "usage", "help"}) {
            assertThat(out()).containsPattern("(?m)^  " + command + "\\s");
        }
    }

    @Test
    void badModelFlagsAreOneLineEachNamingTheFlagAndTheAllowedValues() {
        assertThat(Outpaint.execute("run", "--num-frames", "500", "--aspect-ratio", "4:3")).isEqualTo(2);
        assertThat(err()).isEqualTo(String.join(System.lineSeparator(),
                "outpaint run: --num-frames \"500\" is not allowed; allowed: an integer from 81 to 241",
                "outpaint run: --aspect-ratio \"4:3\" is not allowed; allowed: one of auto, 16:9, 1:1, 9:16",
                "Try 'outpaint run --help' for the flags and their allowed values.", ""));
        assertThat(out()).doesNotContain("Starting").doesNotContain("Usage:");
    }

    @Test
    void anUnknownFlagIsOneLineAndNoUsageDump() {
        assertThat(Outpaint.execute("run", "--frames", "90")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: Unknown option: '--frames'").doesNotContain("Usage:");
        assertThat(err().lines().count()).isEqualTo(2);
    }

    @Test
    void aFileThatIsNotAVideoIsRefusedBeforeAnythingStarts() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a video\n");
        assertThat(Outpaint.execute("run", notes.toString())).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: VIDEO: notes.txt is not an MP4 or WebM video")
                .contains("allowed: an MP4 or WebM video").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out()).doesNotContain("Starting");
    }

    @Test
    void aMissingVideoAndBadTimesAreUsageErrors() {
        assertThat(Outpaint.execute("run", dir.resolve("nope.mp4").toString())).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: VIDEO: no such file ");
        err.reset();
        assertThat(Outpaint.execute("run", "--timeout-seconds", "0")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: --timeout-seconds 0 is not allowed; allowed: 1 or more");
        err.reset();
        assertThat(Outpaint.execute("run", "--job-seconds", "twenty")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: Invalid value for option '--job-seconds': 'twenty' is not an int");
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsRefusedBeforeTheJob() throws Exception {
        Files.writeString(dir.resolve("taken"), "a file where the folder would go");
        assertThat(Outpaint.execute("run", "-o", dir.resolve("taken/sub/result.mp4").toString())).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: --output: cannot create the folder " + dir.resolve("taken/sub"));
        assertThat(out()).doesNotContain("Starting");
        err.reset();
        // a trailing slash asks for a folder: the file of that name is in the way, not replaced
        assertThat(Outpaint.execute("run", "-o", dir.resolve("taken") + "/")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint run: --output: cannot create the folder " + dir.resolve("taken")
                + " (a file of that name is in the way)");
        assertThat(out()).doesNotContain("Starting");
    }

    @Test
    void getWithATrailingSlashCreatesThatFolderBeforeCallingTheApi() {
        assertThat(Outpaint.execute("get", "api-x", "-o", dir.resolve("get-out") + "/", "--endpoint", "http://127.0.0.1:9", "--api-key", "k"))
                .isEqualTo(1);
        assertThat(err()).startsWith("outpaint get: cannot reach http://127.0.0.1:9");
        assertThat(dir.resolve("get-out")).isDirectory();
    }

    @Test
    void clientCommandsSayWhatIsMissingAndFailWithoutATrace() {
        assertThat(Outpaint.execute("list", "--endpoint", "")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint list: --endpoint is missing; allowed: the API's base URL that 'outpaint serve' prints");
        err.reset();
        assertThat(Outpaint.execute("submit", "street.mp4", "--prompt", "p", "--endpoint", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint submit: FILE|KEY: street.mp4 is neither a local file nor a key under inputs/");
        err.reset();
        assertThat(Outpaint.execute("status", "api-x", "--endpoint", "http://127.0.0.1:9", "--api-key", "k")).isEqualTo(1);
        assertThat(err().lines().toList()).hasSize(1);
        assertThat(err()).startsWith("outpaint status: cannot reach http://127.0.0.1:9").doesNotContain("\tat ");
    }

    @Test
    void consoleRefusesAnEndpointThatIsNotAnHttpUrlOnStderrBeforeServingAnything() {
        assertThat(Outpaint.execute("console", "--endpoint", "ftp://example.com")).isEqualTo(2);
        assertThat(err()).isEqualTo(String.join(System.lineSeparator(),
                "outpaint console: --endpoint ftp://example.com is not allowed; allowed: an http(s) URL, such as "
                        + "https://abc123.execute-api.eu-west-1.amazonaws.com",
                "Try 'outpaint console --help' for the flags and their allowed values.", ""));
        assertThat(out()).isEmpty();
        err.reset();
        assertThat(Outpaint.execute("console", "--endpoint", "execute-api.example.com")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint console: --endpoint execute-api.example.com is not allowed; allowed: an http(s) URL");
        assertThat(out()).isEmpty();
    }

    @Test
    void aSimulatorPortInUseIsOneLine() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(Outpaint.execute("simulator", "--port", Integer.toString(taken.getLocalPort()))).isEqualTo(2);
        }
        assertThat(err()).startsWith("outpaint simulator: --port ").contains(" is in use; allowed: a free port, or 0 for any free one")
                .doesNotContain("\tat ");
    }

    @Test
    void listsFlagsAreCheckedHereNamingTheFlagAndWhatIsAllowed() {
        // no endpoint is given: the flags are refused before any call
        assertThat(Outpaint.execute("list", "--limit", "0")).isEqualTo(2);
        assertThat(err()).contains("--limit 0 is not allowed; allowed: an integer from 1 to 100");
        err.reset();
        assertThat(Outpaint.execute("list", "--status", "RUNNINGX")).isEqualTo(2);
        assertThat(err()).contains("--status RUNNINGX is not allowed; allowed: one of ").contains("WAITING_FOR_SLOT").contains("SUCCEEDED");
    }

    @Test
    void aJobIdIsOnePathSegmentWithASpaceAsPercent20() {
        assertThat(ApiClient.segment("a b/c+d")).isEqualTo("a%20b%2Fc%2Bd");
    }

    @Test
    void aDataDirThatCannotBeOneIsRefusedBeforeAnythingStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("fake.mp4"), "x");
        for (String command : new String[] {"run", "serve"}) {
            err.reset();
            assertThat(Outpaint.execute(command, "--data-dir", file.toString())).as(command).isEqualTo(2);
            assertThat(err()).as(command).contains("--data-dir " + file + " is not allowed (it is a file, not a folder); allowed: a folder, made if missing")
                    .doesNotContain("Starting");
        }
        err.reset();
        assertThat(Outpaint.execute("serve", "--data-dir", file.resolve("below").toString())).isEqualTo(2);
        assertThat(err()).contains("(it cannot be made: " + file + " is a file)");
    }

    @Test
    void aFileSystemErrorSaysWhatIsWrongWithThePathNotOnlyThePath() {
        assertThat(Outpaint.failure(RunCommand.commandLine(), new java.nio.file.NoSuchFileException("/proc/forbidden"))).isEqualTo(1);
        assertThat(err()).startsWith("run: /proc/forbidden: no such file or folder (--debug shows more)");
    }

    @Test
    void estimatesVideoFieldIsNamedAsItsOwnParameter() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/estimate", 400, """
                {"error": {"code": "INVALID_REQUEST", "message": "video.key: not allowed",
                 "fields": [{"field": "video.key", "message": "video.key: inputs/.v.mp4 is not allowed; allowed: a key under inputs/"}]}}""")) {
            assertThat(Outpaint.execute("estimate", "inputs/.v.mp4", "--prompt", "p", "--endpoint", api.url(), "--api-key", "k")).isEqualTo(1);
        }
        assertThat(err()).isEqualTo("outpaint estimate: FILE|KEY: inputs/.v.mp4 is not allowed; allowed: a key under inputs/ (HTTP 400 INVALID_REQUEST)"
                + System.lineSeparator());
    }

    @Test
    void apiFieldErrorsAreALineEachInTheCommandsFormatNamingTheFlagOnceAndNeverTheCamelCaseField() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs", 400, """
                {"error": {"code": "INVALID_REQUEST", "message": "request.numFrames: 7 is not allowed",
                 "fields": [{"field": "request.numFrames", "message": "request.numFrames: 7 is not allowed; allowed: an integer from 81 to 241"},
                            {"field": "video.key", "message": "video.key: no object inputs/street.mp4 in bucket outpaint-local"}]}}""")) {
            assertThat(Outpaint.execute("submit", "inputs/street.mp4", "--prompt", "p", "--endpoint", api.url(), "--api-key", "k")).isEqualTo(1);
        }
        assertThat(err()).isEqualTo(String.join(System.lineSeparator(),
                "outpaint submit: --num-frames: 7 is not allowed; allowed: an integer from 81 to 241 (HTTP 400 INVALID_REQUEST)",
                "outpaint submit: FILE|KEY: no object inputs/street.mp4 in bucket outpaint-local (HTTP 400 INVALID_REQUEST)", ""));
        assertThat(out()).isEmpty();
    }

    @Test
    void anApiErrorIsOneLineInTheCommandsFormatWithItsStatusAndCode() throws Exception {
        try (StubApi api = new StubApi()) {
            assertThat(Outpaint.execute("status", "api-x", "--endpoint", api.url(), "--api-key", "k")).isEqualTo(1);
        }
        assertThat(err()).isEqualTo("outpaint status: no such path (HTTP 404 NOT_FOUND)" + System.lineSeparator());
    }

    @Test
    void apiGatewaysOwnRefusalIsShownInTheSameFormat() throws Exception {
        try (StubApi api = new StubApi().answer("GET", "/jobs", 403, "{\"message\": \"Forbidden\"}")) {
            assertThat(Outpaint.execute("list", "--endpoint", api.url(), "--api-key", "k")).isEqualTo(1);
        }
        assertThat(err()).isEqualTo("outpaint list: Forbidden (HTTP 403)" + System.lineSeparator());
    }

    @Test
    void anUnknownCommandIsOneLineListingTheCommandsAndExitsTwo() {
        assertThat(Outpaint.execute("sumbit", "video.mp4")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint: unknown command 'sumbit' (commands: ").contains("run, ").contains("wait, ")
                .contains("submit").doesNotContain("Unmatched").doesNotContain("index");
        assertThat(err().lines()).hasSize(1);
        assertThat(out()).isEmpty();
    }

    @Test
    void anOutputFileThatExistsIsRefusedBeforeAnythingStartsUnlessForced() throws Exception {
        Path mine = Files.writeString(dir.resolve("mine.mp4"), "keep me");
        assertThat(Outpaint.execute("run", "-o", mine.toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("outpaint run: " + mine + " exists; add --force to replace it" + System.lineSeparator()
                + "Try 'outpaint run --help' for the flags and their allowed values." + System.lineSeparator());
        assertThat(out()).doesNotContain("Starting");
        assertThat(mine).hasContent("keep me");
    }

    @Test
    void serveRefusesANonsenseLimitBeforeStarting() {
        assertThat(Outpaint.execute("serve", "--max-jobs", "0")).isEqualTo(2);
        assertThat(err()).startsWith("outpaint serve: --max-jobs 0 is not allowed; allowed: 1 or more");
        assertThat(out()).doesNotContain("Starting");
    }

    @Test
    void debugShowsTheStackTrace() {
        assertThat(Outpaint.execute("--debug", "status", "api-x", "--endpoint", "http://127.0.0.1:9", "--api-key", "k")).isEqualTo(1);
        assertThat(err()).contains("\tat ");
    }
}
