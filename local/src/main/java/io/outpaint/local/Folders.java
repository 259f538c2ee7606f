package io.outpaint.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary folders the local runtime and the CLI make, and remove when they are done. */
public final class Folders {

    private Folders() {}

    /** Deletes {@code dir} and everything under it; a folder left behind is not worth failing for. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a file removed meanwhile, or one that cannot be: what is left stays
        }
    }
}
