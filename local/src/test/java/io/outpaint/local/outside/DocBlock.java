package io.outpaint.local.outside;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fenced block of README.md or docs/*.md, and what its fence's info string says {@code DocsRunIT} does with it:
 * {@code sh} runs against a local {@code serve}, {@code sh aws} needs an AWS account and is only parsed
 * ({@code bash -n}), {@code sh skip: <why>} is parsed and deliberately not run, any other language ({@code text},
 * {@code json}) is not a command. A fence with no info string is a mistake: a reader cannot tell whether to paste it.
 */
record DocBlock(Path file, int line, String info, String body) {

    enum Handling { RUN, SYNTAX_ONLY, SKIP, NOT_SHELL }

    private static final Pattern OPENING = Pattern.compile("^(\\s*)(`{3,})\\s*([^`]*?)\\s*$");
    private static final Set<String> OTHER_SHELLS = Set.of("bash", "shell", "console", "zsh", "shell-session");

    /** Every fenced block of README.md and docs/*.md under {@code root}, file by file, in order. */
    static List<DocBlock> in(Path root) {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
            List<DocBlock> blocks = new ArrayList<>();
            for (Path file : files) {
                blocks.addAll(parse(root.relativize(file), Files.readString(file)));
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of one Markdown text; a block indented in a list item loses its fence's indent. */
    static List<DocBlock> parse(Path file, String markdown) {
        List<DocBlock> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = OPENING.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            String fence = open.group(2);
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            while (j < lines.length && !lines[j].strip().matches(fence + "`*")) {
                String line = lines[j];
                body.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading()).append('\n');
                j++;
            }
            blocks.add(new DocBlock(file, i + 1, open.group(3), body.toString()));
            i = j;
        }
        return blocks;
    }

    /** What is wrong with this block's marker, if anything. */
    Optional<String> problem() {
        String language = info.split("\\s+", 2)[0];
        if (info.isEmpty()) {
            return Optional.of("a fence without an info string: mark it sh, sh aws, sh skip: <why>, or text");
        }
        if (OTHER_SHELLS.contains(language)) {
            return Optional.of("shell blocks are marked sh (sh, sh aws, sh skip: <why>), not " + language);
        }
        if (language.equals("sh") && !info.equals("sh") && !info.equals("sh aws") && !info.matches("sh skip: \\S.*")) {
            return Optional.of("'" + info + "': a shell block is sh, sh aws, or sh skip: <why>");
        }
        return Optional.empty();
    }

    /** What the docs test does with it; only for a block without a {@link #problem()}. */
    Handling handling() {
        if (info.equals("sh")) {
            return Handling.RUN;
        }
        if (info.equals("sh aws")) {
            return Handling.SYNTAX_ONLY;
        }
        return info.startsWith("sh skip: ") ? Handling.SKIP : Handling.NOT_SHELL;
    }

    String firstLine() {
        return body.lines().findFirst().orElse("");
    }

    /** Where it is, as a reader finds it: {@code docs/api.md:82}. */
    String where() {
        return file + ":" + line;
    }
}
