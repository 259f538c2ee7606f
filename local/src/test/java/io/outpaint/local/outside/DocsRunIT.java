package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpaint.local.outside.DocBlock.Handling;
import io.outpaint.simulator.video.Mp4Video;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside: the shell blocks of README.md and docs/*.md as their fences mark them ({@link DocBlock}). Plain
 * {@code sh} blocks run with bash ({@code set -euo pipefail}) against one packaged {@code serve}, with only the
 * {@code export} lines it printed, each file's blocks in order in a scratch folder that looks like the checkout (its
 * top-level entries linked, {@code video.mp4} and {@code my-video.mp4} beside them); {@code sh aws} and
 * {@code sh skip: ...} blocks are parsed with {@code bash -n}. The checkout is the same afterwards.
 */
class DocsRunIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern EXPORT = Pattern.compile("^\\s*export (\\w+)=(.*)$");
    /** The tools the runnable blocks call besides the CLI; .ci/run installs them. */
    private static final List<String> TOOLS = List.of("aws", "curl", "jq");
    private static final long BLOCK_TIMEOUT_SECONDS = 300;

    @TempDir static Path dir;
    private static Process serve;
    private static Map<String, String> printed;
    private static String checkoutBefore;
    private static final Map<Path, Map<Handling, Integer>> tally = new LinkedHashMap<>();

    @BeforeAll
    static void startServe() throws Exception {
        List<String> missing = TOOLS.stream().filter(tool -> !commandWorks(tool, "--version")).toList();
        assumeTrue(missing.isEmpty(), "not installed (.ci/run installs them): " + missing);
        checkoutBefore = checkoutStatus();
        Path endpoints = dir.resolve("endpoints.json");
        serve = new ProcessBuilder("java", "-jar", ROOT.resolve("local/target/outpaint.jar").toString(), "serve",
                "--data-dir", dir.resolve("data").toString(), "--job-seconds", "3", "--endpoints-file", endpoints.toString())
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("serve.log").toFile()).redirectError(dir.resolve("serve.err").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(180);
        while (!Files.exists(endpoints)) {
            assertThat(serve.isAlive()).as("serve exited: " + Files.readString(dir.resolve("serve.log"))
                    + Files.readString(dir.resolve("serve.err"))).isTrue();
            assertThat(Instant.now()).as("serve did not come up in 180 s").isBefore(deadline);
            Thread.sleep(200);
        }
        printed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("serve.log"))) {
            Matcher m = EXPORT.matcher(line);
            if (m.matches()) {
                printed.put(m.group(1), m.group(2));
            }
        }
        assertThat(printed).containsKeys("OUTPAINT_ENDPOINT", "OUTPAINT_API_KEY", "S3", "SFN", "DDB", "BUCKET", "TABLE");
    }

    @AfterAll
    static void stopServeAndSayWhatRan() throws InterruptedException {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
        Map<Handling, Integer> all = new EnumMap<>(Handling.class);
        tally.forEach((file, counts) -> {
            printCounts(file.toString(), counts);
            counts.forEach((handling, n) -> all.merge(handling, n, Integer::sum));
        });
        printCounts("in all", all);
    }

    private static void printCounts(String what, Map<Handling, Integer> counts) {
        System.out.printf("DocsRunIT %-22s %d ran, %d syntax-checked (need AWS), %d skipped%n", what,
                counts.getOrDefault(Handling.RUN, 0), counts.getOrDefault(Handling.SYNTAX_ONLY, 0), counts.getOrDefault(Handling.SKIP, 0));
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockRunsAgainstServeOrParsesAsItsFenceSays() throws Exception {
        Map<Path, List<DocBlock>> byFile = DocBlock.in(ROOT).stream()
                .filter(b -> b.problem().isEmpty() && b.handling() != Handling.NOT_SHELL)
                .collect(Collectors.groupingBy(DocBlock::file, LinkedHashMap::new, Collectors.toList()));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<Path, List<DocBlock>> file : byFile.entrySet()) {
            Path scratch = checkoutView(file.getKey());
            for (DocBlock block : file.getValue()) {
                tally.computeIfAbsent(block.file(), f -> new EnumMap<>(Handling.class)).merge(block.handling(), 1, Integer::sum);
                tests.add(DynamicTest.dynamicTest(block.where() + " " + block.info() + ": " + block.firstLine(),
                        () -> check(block, scratch)));
            }
        }
        tests.add(DynamicTest.dynamicTest("the blocks left the checkout as it was",
                () -> assertThat(checkoutStatus()).as("git status --porcelain --ignored in " + ROOT).isEqualTo(checkoutBefore)));
        return tests.stream();
    }

    private static void check(DocBlock block, Path scratch) throws Exception {
        Path script = Files.writeString(dir.resolve("blocks").resolve(block.file().toString().replace('/', '-') + "-" + block.line() + ".sh"),
                block.body());
        List<String> bash = block.handling() == Handling.RUN
                ? List.of("bash", "-euo", "pipefail", script.toString())
                : List.of("bash", "-n", script.toString());
        Path output = dir.resolve("blocks").resolve(script.getFileName() + ".out");
        ProcessBuilder builder = new ProcessBuilder(bash).directory(scratch.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // the user's own AWS, outpaint and Scenario settings out of the way; then only what serve printed
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("OUTPAINT_") || k.startsWith("SCENARIO_"));
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.put("PATH", ROOT + ":" + env.get("PATH"));
        env.putAll(printed);
        Instant started = Instant.now();
        Process process = builder.start();
        if (!process.waitFor(BLOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("%s (%s) did not end within %d s; its output:%n%s", block.where(), block.firstLine(), BLOCK_TIMEOUT_SECONDS,
                    Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s, the block starting '%s', exited %d (%s); its output:%n%s", block.where(),
                block.firstLine(), process.exitValue(), String.join(" ", bash.subList(0, bash.size() - 1)), out).isZero();
        if (block.handling() == Handling.RUN) {
            System.out.printf("DocsRunIT ran %s in %.1f s%n", block.where(), Duration.between(started, Instant.now()).toMillis() / 1000.0);
        }
    }

    /**
     * A folder that reads like the checkout's root, for one file's blocks: every top-level entry git tracks linked (so
     * {@code events/...}, {@code ./outpaint} and {@code local/target/outpaint.jar} resolve), the videos the docs ask a
     * reader to bring beside them, and whatever a block writes landing here, not in the checkout. Untracked entries
     * (a reader's own {@code video.mp4}, {@code outpaint-results/}) are not linked, so nothing is written through to them.
     */
    private static Path checkoutView(Path docFile) throws Exception {
        Files.createDirectories(dir.resolve("blocks"));
        Path scratch = Files.createDirectories(dir.resolve("scratch").resolve(docFile.toString().replace('/', '-')));
        for (String name : List.of("video.mp4", "my-video.mp4")) {
            Mp4Video.write(scratch.resolve(name), 320, 240, 16, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        }
        for (String entry : git("ls-files").lines().map(path -> path.split("/", 2)[0]).distinct().toList()) {
            Files.createSymbolicLink(scratch.resolve(entry), ROOT.resolve(entry));
        }
        return scratch;
    }

    /** Every change, and every untracked or ignored file or folder, of the checkout as git lists them. */
    private static String checkoutStatus() throws Exception {
        return git("status", "--porcelain", "--ignored");
    }

    private static String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", ROOT.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(git.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
