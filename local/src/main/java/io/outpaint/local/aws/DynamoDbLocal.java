package io.outpaint.local.aws;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/** AWS's DynamoDB Local, in memory, telemetry off, on a loopback port. */
public final class DynamoDbLocal implements AutoCloseable {

    private static final int ATTEMPTS = 3;

    private final DynamoDBProxyServer server;
    private final int port;

    public DynamoDbLocal(int port) throws Exception {
        DynamoDBProxyServer started = null;
        int bound = port;
        for (int attempt = 1; started == null; attempt++) {
            // it refuses port 0: pick a free one, and pick again if another process took it meanwhile
            bound = port == 0 ? Ports.free() : port;
            DynamoDBProxyServer candidate = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-inMemory", "-port", Integer.toString(bound), "-disableTelemetry"});
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
