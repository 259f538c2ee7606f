package io.outpaint.local.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.local.lambda.FunctionRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 event notifications for an emulator that sends none: watches bucket prefixes and delivers an
 * {@code ObjectCreated} event, in the shape S3 sends, to a function for each new or rewritten
 * object. Delivery is asynchronous and at least once (retried on failure), as with S3 and Lambda.
 */
public final class S3EventNotifier implements AutoCloseable {

    /** Objects created in {@code bucket} under {@code prefix} go to {@code function}. */
    public record Rule(String bucket, String prefix, String function) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3; // Lambda's asynchronous invocation: the first try and two retries

    private final S3Client s3;
    private final FunctionRegistry functions;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(daemon("s3-events"));
    private final ScheduledExecutorService delivery = Executors.newScheduledThreadPool(2, daemon("s3-event-delivery"));

    public S3EventNotifier(S3Client s3, FunctionRegistry functions, Duration interval) {
        this.s3 = s3;
        this.functions = functions;
        scanner.scheduleWithFixedDelay(this::scanQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching; objects already there send nothing. */
    public void watch(Rule rule) {
        scan(rule, false);
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
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(rule.bucket()).prefix(rule.prefix())).contents()) {
            String id = rule.bucket() + "/" + object.key();
            String version = object.eTag() + "|" + object.lastModified();
            if (version.equals(seen.put(id, version)) || !notify) {
                continue;
            }
            HeadObjectResponse head = s3.headObject(b -> b.bucket(rule.bucket()).key(object.key()));
            byte[] event = event(rule, object, head);
            deliver(rule, object.key(), event, 1);
        }
    }

    private void deliver(Rule rule, String key, byte[] event, int attempt) {
        delivery.execute(() -> {
            try {
                functions.invoke(rule.function(), event);
            } catch (Exception e) {
                if (attempt < ATTEMPTS) {
                    delivery.schedule(() -> deliver(rule, key, event, attempt + 1), attempt, TimeUnit.SECONDS);
                } else {
                    System.err.println("S3 event for " + key + " dropped after " + ATTEMPTS + " attempts: " + e.getMessage());
                }
            }
        });
    }

    private byte[] event(Rule rule, S3Object object, HeadObjectResponse head) {
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
        if (head.versionId() != null && !head.versionId().isBlank() && !"null".equals(head.versionId())) {
            obj.put("versionId", head.versionId());
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
