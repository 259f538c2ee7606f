package io.outpaint.local.cli;

import io.outpaint.local.console.ConsoleServer;
import io.outpaint.local.console.SignedForwarder;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Serves the web console on this machine for a deployed stack: its API calls are forwarded, "
                + "SigV4-signed with your default AWS credentials (which never reach the browser).")
final class ConsoleCommand implements Callable<Integer> {

    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--endpoint", required = true, description = "The deployed HTTP API's URL (the stack's ApiUrl output).")
    URI endpoint;

    @Option(names = "--region", description = "The API's region (default: from an execute-api host name, else the AWS default).")
    String region;

    @Option(names = "--port", defaultValue = "0", description = "The local port (default: any free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--endpoint " + endpoint
                    + " is not allowed; allowed: an http(s) URL, such as https://abc123.execute-api.eu-west-1.amazonaws.com");
        }
        String signingRegion = region != null ? region : regionOf(endpoint);
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        try (ConsoleServer server = new ConsoleServer(new SignedForwarder(endpoint, signingRegion, credentials), port)) {
            Outpaint.out.println("outpaint console: " + server.url());
            Outpaint.out.println("  the link opens the console once, in one browser; run this command again for another");
            Outpaint.out.println("  forwarding API calls to " + endpoint + ", signed for " + signingRegion + " with your default AWS credentials");
            Outpaint.out.println("Ctrl-C stops it.");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }

    private static String regionOf(URI endpoint) {
        Matcher m = EXECUTE_API_HOST.matcher(endpoint.getHost());
        return m.matches() ? m.group(1) : new DefaultAwsRegionProviderChain().getRegion().id();
    }
}
