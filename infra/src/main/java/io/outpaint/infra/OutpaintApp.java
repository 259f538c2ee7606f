package io.outpaint.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

/** Synthesizes the stack into infra/cdk.out, in one reactor run: {@code mvn -B -ntp -pl infra -am package -DskipTests -Psynth}. */
public final class OutpaintApp {

    private OutpaintApp() {}

    public static void main(String[] args) {
        Path root = root();
        App app = new App(AppProps.builder().outdir(root.resolve("infra/cdk.out").toString()).build());
        build(app, root);
        app.synth();
        System.out.println("Wrote the CloudFormation template and assets to " + root.resolve("infra/cdk.out"));
    }

    public static OutpaintStack build(App app, Path root) {
        if (!Files.isDirectory(root.resolve("functions/target/lambda/lib"))) {
            throw new IllegalStateException("build the functions first (mvn -B -ntp -pl infra -am package -DskipTests -Psynth):"
                    + " functions/target/lambda is the Lambda code");
        }
        return new OutpaintStack(app, "Outpaint", StackProps.builder().description("Video outpainting with Scenario (outpaint)").build(), root);
    }

    /** The repository's root, wherever Maven was started. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("statemachine/outpaint.asl.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run from inside the repository: statemachine/outpaint.asl.json not found");
    }
}
