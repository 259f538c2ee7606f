package io.outpaint.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Scenario's API, as its documentation and its own published clients describe it, for tests and the local runtime.
 * Start it in-process with {@link #start(Settings)}; point a client at {@link #apiUrl()}.
 */
public final class ScenarioSimulator implements AutoCloseable {

    public static final String MODEL_ID = ModelInputs.MODEL_ID;

    /** How the simulator starts; {@link #defaults()} then the {@code with...} methods. */
    public record Settings(int port, String apiKey, String apiSecret, Duration jobDuration, Duration urlLifetime,
                           Clock clock) {
        public static Settings defaults() {
            return new Settings(0, "sim-key", "sim-secret", Duration.ofSeconds(20), Duration.ofHours(24),
                    Clock.systemUTC());
        }
        public Settings withPort(int value) { return new Settings(value, apiKey, apiSecret, jobDuration, urlLifetime, clock); }
        public Settings withCredentials(String key, String secret) { return new Settings(port, key, secret, jobDuration, urlLifetime, clock); }
        public Settings withJobDuration(Duration value) { return new Settings(port, apiKey, apiSecret, value, urlLifetime, clock); }
        public Settings withUrlLifetime(Duration value) { return new Settings(port, apiKey, apiSecret, jobDuration, value, clock); }
        public Settings withClock(Clock value) { return new Settings(port, apiKey, apiSecret, jobDuration, urlLifetime, value); }
    }

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("scenario-sim"));
    private final Faults faults = new Faults();
    private final ScenarioState state;
    private final Path dir;
    private final Map<Route, AtomicInteger> counts = new EnumMap<>(Route.class);
    private final AtomicInteger faultsServed = new AtomicInteger();
    private volatile Duration jobDuration;
    private volatile Duration urlLifetime;
    private volatile boolean skipOptionalStages;
    private volatile boolean durationByFrames;

    private ScenarioSimulator(Settings settings) throws IOException {
        this.settings = settings;
        this.jobDuration = settings.jobDuration();
        this.urlLifetime = settings.urlLifetime();
        for (Route route : Route.values()) {
            counts.put(route, new AtomicInteger());
        }
        this.dir = Files.createTempDirectory("scenario-sim-");
        this.state = new ScenarioState(dir, settings.clock());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 64);
        server.createContext("/", new Api(this, state, settings.apiKey(), settings.apiSecret()));
        server.setExecutor(workers);
        server.start();
    }

    public static ScenarioSimulator start(Settings settings) {
        try {
            return new ScenarioSimulator(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Scenario simulator", e);
        }
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Scenario's API root on this server, the counterpart of {@code https://api.cloud.scenario.com/v1}. */
    public String apiUrl() {
        return baseUrl() + "/v1";
    }

    public String apiKey() { return settings.apiKey(); }
    public String apiSecret() { return settings.apiSecret(); }
    public Faults faults() { return faults; }

    /**
     * How long jobs created from now on take from queued to success; a result that takes longer to render (ffmpeg
     * starts when the job is submitted) keeps its job in its last running stage until it exists.
     */
    public ScenarioSimulator jobDuration(Duration value) { jobDuration = value; return this; }

    /** How long signed URLs handed out from now on stay valid. */
    public ScenarioSimulator urlLifetime(Duration value) { urlLifetime = value; return this; }

    /** Results rendered from now on are at least this big (noise frames, repeated): for copy benchmarks. */
    public ScenarioSimulator resultSizeAtLeast(long bytes) { state.minResultBytes(bytes); return this; }

    /** Jobs created from now on go pending, queued, in-progress, success: no warming-up, no finalizing. */
    public ScenarioSimulator skipOptionalStages(boolean value) { skipOptionalStages = value; return this; }

    /**
     * Jobs created from now on take the job duration for the model's longest generation ({@value #MOST_FRAMES} frames)
     * and a shorter one in proportion to its frames, as a generation's work grows with its frames (off by default: every
     * job takes the job duration).
     */
    public ScenarioSimulator jobDurationByFrames(boolean value) { durationByFrames = value; return this; }

    /** The model's longest generation, in frames. */
    public static final int MOST_FRAMES = 241;

    /** How long a job of {@code frames} frames takes when the longest takes {@code full}. */
    static Duration durationFor(Duration full, long frames) {
        return Duration.ofMillis(Math.max(1, Math.round((double) full.toMillis() * frames / MOST_FRAMES)));
    }

    Duration jobDuration() { return jobDuration; }
    boolean durationByFrames() { return durationByFrames; }
    boolean skipsOptionalStages() { return skipOptionalStages; }
    Duration urlLifetime() { return urlLifetime; }

    /** How many calls of {@code route} reached the simulator, faults included. */
    public int count(Route route) { return counts.get(route).get(); }

    /** How many answers were injected faults (5xx, rate-limit 429s, dropped connections). */
    public int faultsServed() { return faultsServed.get(); }

    /** Jobs not yet in a final status. */
    public int jobsRunning() { return state.jobsRunning(); }

    /** Jobs created so far. */
    public int jobsCreated() { return state.allJobs().size(); }

    /** The most jobs that ever ran at the same time. */
    public int peakJobsInFlight() {
        Instant now = state.now();
        List<Instant[]> spans = new ArrayList<>();
        for (SimulatedJob job : state.allJobs()) {
            Instant end = job.endedAt(now);
            spans.add(new Instant[] {job.createdAt, end == null ? Instant.MAX : end});
        }
        int peak = 0;
        for (Instant[] span : spans) {
            int overlapping = (int) spans.stream()
                    .filter(other -> !other[0].isAfter(span[0]) && other[1].isAfter(span[0])).count();
            peak = Math.max(peak, overlapping);
        }
        return peak;
    }

    void record(Route route) { counts.get(route).incrementAndGet(); }
    void countFault() { faultsServed.incrementAndGet(); }
    void background(Runnable task) { workers.execute(task); }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        state.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only; the OS cleans them up
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
