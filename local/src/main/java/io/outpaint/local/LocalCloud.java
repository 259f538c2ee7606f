package io.outpaint.local;

import io.outpaint.local.aws.DynamoDbLocal;
import io.outpaint.local.aws.EventBridgeReceiver;
import io.outpaint.local.aws.S3EventNotifier;
import io.outpaint.local.aws.S3Emulator;
import io.outpaint.local.aws.StepFunctionsSidecar;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.local.lambda.LambdaEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * AWS on one machine: DynamoDB Local, S3Mock, a Lambda Invoke endpoint over registered handler
 * classes, a Step Functions endpoint running real ASL, and S3 event delivery; every endpoint on
 * a free loopback port, reached through the SDK's and CLI's standard endpoint settings.
 */
public final class LocalCloud implements AutoCloseable {

    /** How to start: where the sidecar lives, how time runs in Wait and Retry, where state is kept (null: nowhere), who hears of ended executions. */
    public record Options(Path sidecarDir, double timeScale, long dynamicWaitMillis, Path dataDir, String statusChangeFunction,
                          Consumer<String> progress) {
        public static Options defaults() {
            return new Options(SidecarLocation.find(), 1.0, 0, null, null, part -> { });
        }
        public Options withTime(double scale, long dynamicWaitMillis) {
            return new Options(sidecarDir, scale, dynamicWaitMillis, dataDir, statusChangeFunction, progress);
        }
        /** Sends Step Functions' execution status-change events (FAILED, TIMED_OUT, ABORTED) to this function. */
        public Options withStatusChangesTo(String function) {
            return new Options(sidecarDir, timeScale, dynamicWaitMillis, dataDir, function, progress);
        }
        /** DynamoDB Local's tables in {@code dir/dynamodb}, S3Mock's objects in {@code dir/s3}, both kept across restarts. */
        public Options withDataDir(Path dir) {
            return new Options(sidecarDir, timeScale, dynamicWaitMillis, dir, statusChangeFunction, progress);
        }
        /** Told the name of each emulator as it comes up ("DynamoDB Local", "Step Functions", "S3Mock"). */
        public Options withProgress(Consumer<String> listener) {
            return new Options(sidecarDir, timeScale, dynamicWaitMillis, dataDir, statusChangeFunction, listener);
        }
    }

    /** The file in the data dir that records the S3 events delivered (see {@link S3EventNotifier}). */
    public static final String S3_EVENTS_JOURNAL = "s3-events-delivered";

    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";

    /** The parts that run on their own and can die while the rest runs. */
    public enum Part {
        STEP_FUNCTIONS("the Step Functions sidecar"), DYNAMODB("DynamoDB Local"), S3("S3Mock");

        private final String title;

        Part(String title) {
            this.title = title;
        }

        /** Its name for people: "the Step Functions sidecar". */
        public String title() {
            return title;
        }
    }

    private final FunctionRegistry functions;
    private volatile DynamoDbLocal dynamo;
    /** Held while a part is stopped or started: a restart and a stop of the whole cloud never cross. */
    private final Object parts = new Object();
    private PartWatch watch;
    /** How long a stop waits for an S3Mock still starting before leaving it to stop once up. */
    static final Duration S3_START_WAIT = Duration.ofSeconds(30);

    private final CompletableFuture<S3Emulator> s3Starting;
    private volatile boolean closed;
    private volatile S3Emulator s3;
    private final LambdaEndpoint lambda;
    private final EventBridgeReceiver events;
    private final Options options;
    private volatile StepFunctionsSidecar sfn;
    private S3EventNotifier notifier;
    private S3Client s3Client;
    /** S3Mock's folder when nothing is kept: removed once S3Mock has stopped. */
    private final Path tempS3Root;

    private LocalCloud(Options options, FunctionRegistry functions) throws Exception {
        this.options = options;
        this.functions = functions;
        boolean durable = options.dataDir() != null;
        Path s3Root = durable ? Files.createDirectories(options.dataDir().resolve("s3")) : Files.createTempDirectory("outpaint-s3-");
        this.tempS3Root = durable ? null : s3Root; // S3Mock leaves a root it was given: removed on close
        // S3Mock (Spring Boot) is the slowest to start: it comes up while the rest starts, and while
        // whoever started this cloud creates its tables and state machines; the first use of S3 waits for it
        this.s3Starting = CompletableFuture.supplyAsync(() -> up("S3Mock", new S3Emulator(0, s3Root, durable)));
        LambdaEndpoint lambdaEndpoint = null;
        EventBridgeReceiver eventReceiver = null;
        DynamoDbLocal dynamoDb = null;
        CompletableFuture<StepFunctionsSidecar> sfnStarting = null;
        try {
            lambdaEndpoint = new LambdaEndpoint(functions, 0);
            eventReceiver = new EventBridgeReceiver(0);
            String lambdaUrl = lambdaEndpoint.url();
            // the sidecar is another process: it starts while DynamoDB Local does
            sfnStarting = CompletableFuture.supplyAsync(() -> {
                try {
                    return up("Step Functions", new StepFunctionsSidecar(options.sidecarDir(), 0, lambdaUrl, options.timeScale(),
                            options.dynamicWaitMillis(), options.statusChangeFunction()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            dynamoDb = up("DynamoDB Local",
                    new DynamoDbLocal(0, durable ? Optional.of(options.dataDir().resolve("dynamodb")) : Optional.empty()));
            this.sfn = joined(sfnStarting);
        } catch (Exception e) {
            // nothing half started is left running
            for (AutoCloseable part : new AutoCloseable[] {dynamoDb, lambdaEndpoint, eventReceiver}) {
                closeQuietly(part);
            }
            if (sfnStarting != null) {
                sfnStarting.thenAccept(LocalCloud::closeQuietly);
            }
            s3Starting.thenAccept(LocalCloud::closeQuietly);
            throw e;
        }
        this.lambda = lambdaEndpoint;
        this.events = eventReceiver;
        this.dynamo = dynamoDb;
    }

    private <T> T up(String part, T started) {
        options.progress().accept(part);
        return started;
    }

    /** The value of a start, or what stopped it (not wrapped in a CompletionException). */
    private static <T> T joined(CompletableFuture<T> starting) throws Exception {
        try {
            return starting.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException io ? io.getCause() : e.getCause();
            throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
        }
    }

    /**
     * Starts every emulator; close it to stop them. It returns when DynamoDB, Lambda, EventBridge
     * and Step Functions answer; S3 may still be starting (see {@link #awaitS3()}).
     */
    public static LocalCloud start(Options options, FunctionRegistry functions) throws Exception {
        return new LocalCloud(options, functions);
    }

    /** The folder S3Mock keeps its objects in when nothing is kept across runs (removed on close), else empty. */
    Optional<Path> temporaryS3Folder() {
        return Optional.ofNullable(tempS3Root);
    }

    /** Waits until S3 answers, and starts S3 event delivery; every use of S3 through this class waits for it first. */
    public synchronized LocalCloud awaitS3() {
        if (s3 == null) {
            try {
                S3Emulator started = joined(s3Starting);
                this.s3Client = client(started);
                // kept with the data: a restart delivers the events of uploads the last run did not deliver
                this.notifier = new S3EventNotifier(s3Client, functions, Duration.ofMillis(250),
                        Optional.ofNullable(options.dataDir()).map(dir -> dir.resolve(S3_EVENTS_JOURNAL)));
                this.s3 = started;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("S3Mock did not start: " + e.getMessage(), e);
            }
        }
        return this;
    }

    public FunctionRegistry functions() { return functions; }
    public String dynamoDbUrl() { return dynamo.url(); }
    public String s3Url() { return awaitS3().s3.url(); }
    public String lambdaUrl() { return lambda.url(); }
    public String stepFunctionsUrl() { return sfn.url(); }
    public String eventBridgeUrl() { return events.url(); }
    /** What the functions published to EventBridge. */
    public EventBridgeReceiver events() { return events; }

    /** The variables that point the AWS SDKs (and CLI v2.13+) at this cloud. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", FunctionRegistry.REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.url());
        env.put("AWS_ENDPOINT_URL_S3", s3Url());
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.url());
        env.put("AWS_ENDPOINT_URL_SFN", sfn.url());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", events.url());
        return env;
    }

    /** Delivers S3 ObjectCreated events for {@code bucket}/{@code prefix} to {@code function}. */
    public void notifyOnCreate(String bucket, String prefix, String function) {
        awaitS3().notifier.watch(new S3EventNotifier.Rule(bucket, prefix, function));
    }

    /**
     * Stops the Step Functions endpoint and starts a new one on the same port, as after a crash of
     * the machine running it: every execution and state machine it had is gone.
     */
    public void restartStepFunctions() throws IOException {
        synchronized (parts) {
            if (closed) {
                return;
            }
            int port = URI.create(sfn.url()).getPort();
            sfn.close();
            sfn = new StepFunctionsSidecar(options.sidecarDir(), port, lambda.url(), options.timeScale(), options.dynamicWaitMillis(),
                    options.statusChangeFunction());
        }
    }

    /**
     * Watches every part: one that dies is named to {@code listener} at once, then started again on
     * its port (over the same data dir) when that loses nothing, else the listener is told the runtime
     * cannot go on. See {@link PartWatch}.
     */
    public synchronized void watch(Duration every, PartWatch.Listener listener) {
        if (closed || watch != null) {
            throw new IllegalStateException(closed ? "the local cloud is stopped" : "the local cloud is watched already");
        }
        watch = new PartWatch(this, every, listener);
    }

    /** Whether {@code part} died without being asked to stop (its process ended, or its port no longer takes connections). */
    boolean isDown(Part part) {
        return switch (part) {
            case STEP_FUNCTIONS -> sfn.diedUnasked();
            case DYNAMODB -> !listening(dynamo.url());
            case S3 -> s3 != null && !listening(s3.url());
        };
    }

    /** How the dead {@code part} ended, for people. */
    String describeEnd(Part part) {
        return part == Part.STEP_FUNCTIONS ? sfn.describeEnd() : "its port " + port(part) + " takes no connections";
    }

    /** Whether a new start of {@code part} finds what the dead one had: its state in the data dir, or (the sidecar) in no part at all. */
    boolean restartable(Part part) {
        return part == Part.STEP_FUNCTIONS || options.dataDir() != null;
    }

    int port(Part part) {
        return URI.create(switch (part) {
            case STEP_FUNCTIONS -> sfn.url();
            case DYNAMODB -> dynamo.url();
            case S3 -> s3.url();
        }).getPort();
    }

    /** The sidecar running now (a restart replaces it). */
    StepFunctionsSidecar sidecar() {
        return sfn;
    }

    /** Starts {@code part} again on its own port, over the data dir's tables or objects; the dead one is let go first. */
    void restart(Part part) throws Exception {
        synchronized (parts) {
            if (closed) {
                return;
            }
            int port = port(part);
            switch (part) {
                case STEP_FUNCTIONS -> restartStepFunctions();
                case DYNAMODB -> {
                    closeQuietly(dynamo);
                    dynamo = new DynamoDbLocal(port, Optional.of(options.dataDir().resolve("dynamodb")));
                }
                case S3 -> {
                    closeQuietly(s3);
                    s3 = new S3Emulator(port, options.dataDir().resolve("s3"), true);
                }
            }
        }
    }

    /** Stops {@code part} behind the runtime's back, as a crash of it would (tests of the watch). */
    void crash(Part part) {
        switch (part) {
            case STEP_FUNCTIONS -> sfn.kill();
            case DYNAMODB -> closeQuietly(dynamo);
            case S3 -> closeQuietly(awaitS3().s3);
        }
    }

    /** Whether anything takes a connection on the loopback port of {@code url}. */
    private static boolean listening(String url) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", URI.create(url).getPort()), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Scales static Wait and Retry intervals from now on; dynamic waits take {@code dynamicWaitMillis}. */
    public void timeControl(double scale, long dynamicWaitMillis) throws IOException, InterruptedException {
        sfn.timeControl(scale, dynamicWaitMillis);
    }

    public S3Client s3() {
        return client(awaitS3().s3);
    }

    private static S3Client client(S3Emulator s3) {
        return S3Client.builder().endpointOverride(URI.create(s3.url())).forcePathStyle(true)
                .region(Region.of(FunctionRegistry.REGION)).credentialsProvider(credentials()).build();
    }

    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().endpointOverride(URI.create(dynamo.url()))
                .region(Region.of(FunctionRegistry.REGION)).credentialsProvider(credentials()).build();
    }

    public SfnClient stepFunctions() {
        return SfnClient.builder().endpointOverride(URI.create(sfn.url()))
                .region(Region.of(FunctionRegistry.REGION)).credentialsProvider(credentials()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(watch); // a part stopped from here on is not a death
        synchronized (parts) {
            for (AutoCloseable part : new AutoCloseable[] {notifier, s3Client, sfn, lambda, events, dynamo}) {
                closeQuietly(part);
            }
        }
        if (s3 != null) {
            closeQuietly(s3);
            Folders.deleteTree(tempS3Root);
            return;
        }
        // one still starting is stopped once it is up; a start that hangs does not hold the stop
        try {
            closeQuietly(s3Starting.get(S3_START_WAIT.toSeconds(), TimeUnit.SECONDS));
            Folders.deleteTree(tempS3Root);
        } catch (TimeoutException e) {
            s3Starting.thenAccept(this::stopLate);
            System.err.println("S3Mock was still starting after " + S3_START_WAIT.toSeconds() + " s; it stops once it is up");
        } catch (InterruptedException e) {
            s3Starting.thenAccept(this::stopLate);
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            Folders.deleteTree(tempS3Root); // it never started: nothing to stop
        }
    }

    private void stopLate(S3Emulator started) {
        closeQuietly(started);
        Folders.deleteTree(tempS3Root);
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            if (part != null) {
                part.close();
            }
        } catch (Exception e) {
            System.err.println("while stopping " + part.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
