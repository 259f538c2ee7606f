package io.outpaint.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the Step Functions sidecar folder: set, beside the jar, or in the source tree. */
final class SidecarLocation {

    private SidecarLocation() {}

    static Path find() {
        List<Path> candidates = new ArrayList<>();
        String set = System.getProperty("outpaint.sidecar.dir", System.getenv("OUTPAINT_SIDECAR_DIR"));
        if (set != null) {
            return Path.of(set);
        }
        try {
            Path jar = Path.of(SidecarLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // local/target/outpaint.jar or local/target/classes -> local/sidecar
            candidates.add(jar.getParent().getParent().resolve("sidecar"));
        } catch (Exception ignored) {
            // no code source: fall back to the working directory
        }
        candidates.add(Path.of("local", "sidecar"));
        candidates.add(Path.of("sidecar"));
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("sidecar.mjs"))).findFirst()
                .orElse(candidates.get(0)).toAbsolutePath().normalize();
    }
}
