package io.outpaint.local.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * AWS's DynamoDB Local, telemetry off, on a loopback port: in memory, or with its tables in one
 * file under {@code dbPath} ({@code -sharedDb}: the same tables whatever region or credentials ask).
 */
public final class DynamoDbLocal implements AutoCloseable {

    private static final int ATTEMPTS = 3;

    private final DynamoDBProxyServer server;
    private final int port;

    public DynamoDbLocal(int port) throws Exception {
        this(port, Optional.empty());
    }

    public DynamoDbLocal(int port, Optional<Path> dbPath) throws Exception {
        if (dbPath.isPresent()) {
            Files.createDirectories(dbPath.get());
        }
        DynamoDBProxyServer started = null;
        int bound = port;
        for (int attempt = 1; started == null; attempt++) {
            // it refuses port 0: pick a free one, and pick again if another process took it meanwhile
            bound = port == 0 ? Ports.free() : port;
            List<String> args = new ArrayList<>(List.of("-port", Integer.toString(bound), "-disableTelemetry"));
            if (dbPath.isPresent()) {
                args.addAll(List.of("-dbPath", dbPath.get().toString(), "-sharedDb"));
            } else {
                args.add("-inMemory");
            }
            DynamoDBProxyServer candidate = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            try {
                candidate.start();
                started = candidate;
            } catch (Exception e) {
                if (port != 0 || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
        this.server = started;
        this.port = bound;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
