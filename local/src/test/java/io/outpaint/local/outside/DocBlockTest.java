package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.local.outside.DocBlock.Handling;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fence convention DocsRunIT reads: which blocks run, which are parsed only, which are skipped. */
class DocBlockTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyFencedBlockOfTheReadmeAndDocsSaysWhetherItRuns() {
        List<String> problems = DocBlock.in(ROOT).stream()
                .flatMap(b -> b.problem().map(p -> b.where() + " (" + b.firstLine() + "): " + p).stream())
                .toList();
        assertThat(problems).isEmpty();
    }

    @Test
    void readsEachFencesMarkerAsWhatTheDocsTestDoes() {
        List<DocBlock> blocks = DocBlock.parse(Path.of("x.md"), """
                ```sh
                echo run
                ```
                ```sh aws
                aws s3 ls
                ```
                ```sh skip: starts a runtime of its own
                outpaint run
                ```
                ```text
                a listing
                ```
                """);
        assertThat(blocks).extracting(DocBlock::handling)
                .containsExactly(Handling.RUN, Handling.SYNTAX_ONLY, Handling.SKIP, Handling.NOT_SHELL);
        assertThat(blocks).extracting(DocBlock::body).containsExactly("echo run\n", "aws s3 ls\n", "outpaint run\n", "a listing\n");
        assertThat(blocks).extracting(DocBlock::line).containsExactly(1, 4, 7, 10);
        assertThat(blocks).allMatch(b -> b.problem().isEmpty());
    }

    @Test
    void aBlockInAListItemLosesItsFencesIndent() {
        DocBlock block = DocBlock.parse(Path.of("x.md"), "- a step:\n\n  ```sh\n  aws s3 ls \\\n      s3://b/\n  ```\n").get(0);

        assertThat(block.body()).isEqualTo("aws s3 ls \\\n    s3://b/\n");
        assertThat(block.line()).isEqualTo(3);
    }

    @Test
    void refusesAnUnmarkedFenceAnotherShellsNameAndASkipWithoutAReason() {
        List<DocBlock> blocks = DocBlock.parse(Path.of("x.md"), "```\nls\n```\n```bash\nls\n```\n```sh skip\nls\n```\n```sh local\nls\n```\n");

        assertThat(blocks).extracting(b -> b.problem().orElse("none")).containsExactly(
                "a fence without an info string: mark it sh, sh aws, sh skip: <why>, or text",
                "shell blocks are marked sh (sh, sh aws, sh skip: <why>), not bash",
                "'sh skip': a shell block is sh, sh aws, or sh skip: <why>",
                "'sh local': a shell block is sh, sh aws, or sh skip: <why>");
    }
}
