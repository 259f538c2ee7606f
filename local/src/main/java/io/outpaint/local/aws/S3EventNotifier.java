package io.outpaint.local.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.local.lambda.FunctionRegistry;
import io.outpaint.request.ObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * S3 event notifications for an emulator that sends none: watches bucket prefixes and delivers an
 * {@code ObjectCreated} event, in the shape S3 sends, to a function for each new or rewritten
 * object. Delivery is asynchronous and at least once (retried on failure), as with S3 and Lambda.
 *
 * <p>Every key S3 takes is delivered: the listing asks for URL-encoded keys (a key with a control
 * character cannot be written in S3's XML otherwise), and an object whose event cannot be made now is
 * tried again at the next scan, without holding up the others. With a journal (a file kept across
 * restarts) the events delivered are recorded there, and a start delivers each object it does not
 * list: an upload that landed while nothing watched, or whose event was not delivered before a crash,
 * gets its event then. Without one, objects already there when watching starts send nothing.
 */
public final class S3EventNotifier implements AutoCloseable {

    /** Objects created in {@code bucket} under {@code prefix} go to {@code function}. */
    public record Rule(String bucket, String prefix, String function) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3; // Lambda's asynchronous invocation: the first try and two retries

    private final S3Client s3;
    private final FunctionRegistry functions;
    private final Optional<Path> journal;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    /** The version of each object whose event was handed to delivery (or, with a journal, delivered before this start). */
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    /** Objects whose event could not be made, by the version that failed: told once each. */
    private final Map<String, String> told = new ConcurrentHashMap<>();
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(daemon("s3-events"));
    private final ScheduledExecutorService delivery = Executors.newScheduledThreadPool(2, daemon("s3-event-delivery"));

    public S3EventNotifier(S3Client s3, FunctionRegistry functions, Duration interval) {
        this(s3, functions, interval, Optional.empty());
    }

    /** With {@code journal}: the file the delivered events are recorded in, read now, appended to as events are delivered. */
    public S3EventNotifier(S3Client s3, FunctionRegistry functions, Duration interval, Optional<Path> journal) {
        this.s3 = s3;
        this.functions = functions;
        this.journal = journal;
        journal.ifPresent(this::readJournal);
        scanner.scheduleWithFixedDelay(this::scanQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts watching. With a journal, every object there that it does not record as delivered gets its
     * event now; without one, objects already there send nothing. A scan that fails is tried again.
     */
    public void watch(Rule rule) {
        try {
            scan(rule, journal.isPresent());
        } catch (RuntimeException e) {
            System.err.println("S3 event scan of s3://" + rule.bucket() + "/" + rule.prefix() + " failed (tried again): " + e.getMessage());
        }
        rules.add(rule);
    }

    private void scanQuietly() {
        for (Rule rule : rules) {
            try {
                scan(rule, true);
            } catch (RuntimeException e) {
                System.err.println("S3 event scan of s3://" + rule.bucket() + "/" + rule.prefix() + " failed: " + e.getMessage());
            }
        }
    }

    private void scan(Rule rule, boolean notify) {
        // the versions listing gives each object's version id with it (no HeadObject per object); URL-encoded keys
        // (decoded again by the SDK) are what lets S3Mock list a key holding a control character
        for (ObjectVersion object : s3.listObjectVersionsPaginator(b -> b.bucket(rule.bucket()).prefix(rule.prefix())
                .encodingType(EncodingType.URL)).versions()) {
            if (!Boolean.TRUE.equals(object.isLatest())) {
                continue;
            }
            String id = rule.bucket() + "/" + object.key();
            String version = object.versionId() + "|" + object.eTag() + "|" + object.lastModified();
            if (version.equals(seen.get(id))) {
                continue;
            }
            if (!notify) {
                seen.put(id, version);
                continue;
            }
            byte[] event;
            try {
                event = event(rule, object);
            } catch (RuntimeException e) {
                // this object alone waits for the next scan; the others go on
                if (!version.equals(told.put(id, version))) {
                    System.err.println("S3 event for " + ObjectKeys.printable(object.key()) + " not sent yet (tried again): "
                            + e.getMessage());
                }
                continue;
            }
            seen.put(id, version);
            told.remove(id);
            deliver(rule, id, version, object.key(), event, 1);
        }
    }

    private void deliver(Rule rule, String id, String version, String key, byte[] event, int attempt) {
        delivery.execute(() -> {
            try {
                functions.invoke(rule.function(), event);
                recordDelivered(id, version);
            } catch (Exception e) {
                if (attempt < ATTEMPTS) {
                    delivery.schedule(() -> deliver(rule, id, version, key, event, attempt + 1), attempt, TimeUnit.SECONDS);
                } else {
                    System.err.println("S3 event for " + ObjectKeys.printable(key) + " dropped after " + ATTEMPTS
                            + " attempts"
                            + (journal.isPresent() ? " (sent again at the next start)" : "") + ": " + e.getMessage());
                }
            }
        });
    }

    /** The journal's lines: an object's id and version, each URL-encoded, so any key fits on one line. */
    private void readJournal(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length == 2) { // a line cut short by a crash is not a delivery: its event is sent again
                    try {
                        seen.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        // the same
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the S3 event journal " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private synchronized void recordDelivered(String id, String version) {
        if (journal.isEmpty()) {
            return;
        }
        String line = URLEncoder.encode(id, StandardCharsets.UTF_8) + " " + URLEncoder.encode(version, StandardCharsets.UTF_8) + "\n";
        try {
            if (Files.notExists(journal.get())
                    && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // the data dir's files are the user's alone (rw-------), this one too
                Files.createFile(journal.get(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(journal.get(), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the event was delivered; at the next start it is delivered again, which the trigger takes as a duplicate
            System.err.println("the S3 event journal " + journal.get() + " could not be written: " + e.getMessage());
        }
    }

    private byte[] event(Rule rule, ObjectVersion object) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", FunctionRegistry.REGION);
        record.put("eventTime", Instant.now().toString());
        record.put("eventName", object.eTag().contains("-") ? "ObjectCreated:CompleteMultipartUpload" : "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "AWS:LOCAL");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase());
        response.put("x-amz-id-2", UUID.randomUUID().toString());
        ObjectNode s3node = record.putObject("s3");
        s3node.put("s3SchemaVersion", "1.0");
        s3node.put("configurationId", "local-" + rule.function());
        ObjectNode bucket = s3node.putObject("bucket");
        bucket.put("name", rule.bucket());
        bucket.putObject("ownerIdentity").put("principalId", "LOCAL");
        bucket.put("arn", "arn:aws:s3:::" + rule.bucket());
        ObjectNode obj = s3node.putObject("object");
        // S3 sends keys URL-encoded, spaces as '+', slashes kept
        obj.put("key", URLEncoder.encode(object.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
        obj.put("size", object.size());
        obj.put("eTag", object.eTag().replace("\"", ""));
        if (object.versionId() != null && !object.versionId().isBlank() && !"null".equals(object.versionId())) {
            obj.put("versionId", object.versionId());
        }
        obj.put("sequencer", String.format("%016X", sequencer.incrementAndGet()));
        ObjectNode root = JSON.createObjectNode();
        root.putArray("Records").add(record);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        delivery.shutdownNow();
    }
}
