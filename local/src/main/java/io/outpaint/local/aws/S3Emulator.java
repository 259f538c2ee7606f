package io.outpaint.local.aws;

import com.adobe.testing.s3mock.S3MockApplication;
import java.nio.file.Path;
import java.util.Map;

/**
 * Adobe's S3Mock, on a loopback port, keeping its objects under {@code root}. With {@code retain}
 * they stay there when it stops, and a start on the same root finds its buckets and objects again.
 */
public final class S3Emulator implements AutoCloseable {

    private final S3MockApplication s3mock;
    /** Read once up: S3Mock forgets it when stopped. */
    private final int port;

    public S3Emulator(int port, Path root, boolean retain) {
        // S3Mock removes entries from the map it is given, so it must be mutable
        this.s3mock = S3MockApplication.start(new java.util.HashMap<>(Map.of(
                // port 0: S3Mock binds a free port itself, so no other component can take it first
                S3MockApplication.PROP_HTTP_PORT, port,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_SILENT, true,
                "com.adobe.testing.s3mock.store.root", root.toString(),
                "com.adobe.testing.s3mock.store.retain-files-on-exit", retain,
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                // close() stops it; Spring's own hook would close it first and make that stop fail ("closed already")
                "spring.main.register-shutdown-hook", false,
                // the CLI's checksums in headers, taken as S3 takes them (see the class)
                "spring.main.sources", S3MockChecksumHeaders.class.getName(),
                "logging.level.root", "WARN")));
        this.port = s3mock.getHttpPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        s3mock.stop();
    }
}
