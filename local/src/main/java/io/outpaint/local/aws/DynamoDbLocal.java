package io.outpaint.local.aws;

import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.main.ServerRunner;

/** AWS's DynamoDB Local, in memory, telemetry off, on a loopback port. */
public final class DynamoDbLocal implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final int port;

    public DynamoDbLocal(int port) throws Exception {
        this.port = port == 0 ? Ports.free() : port;
        this.server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-inMemory", "-port", Integer.toString(this.port), "-disableTelemetry"});
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
