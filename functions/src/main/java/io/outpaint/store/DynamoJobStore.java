package io.outpaint.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobDocument;
import io.outpaint.job.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedGlobalSecondaryIndex;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** {@link JobStore} on DynamoDB through the Enhanced Client, with its optimistic locking. */
public final class DynamoJobStore implements JobStore {

    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final TableSchema<JobItem> SCHEMA = JobItem.SCHEMA;
    private static final int MAX_TRIES = 8;
    /** A fixed width (milliseconds always written), so that the index sorts these strings by time. */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DynamoDbTable<JobItem> table;
    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoJobStore(DynamoDbClient dynamo, String tableName) {
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(tableName, SCHEMA);
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    /** Creates the table and its indexes as the stack does, for local runs and tests. */
    public static void createTableIfMissing(DynamoDbClient dynamo, String tableName) {
        DynamoDbTable<JobItem> table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(tableName, SCHEMA);
        Projection all = Projection.builder().projectionType(ProjectionType.ALL).build();
        try {
            table.createTable(b -> b.globalSecondaryIndices(
                    EnhancedGlobalSecondaryIndex.builder().indexName(JobItem.BY_STATUS).projection(all).build(),
                    EnhancedGlobalSecondaryIndex.builder().indexName(JobItem.BY_CREATED).projection(all).build(),
                    EnhancedGlobalSecondaryIndex.builder().indexName(JobItem.BY_QUEUE).projection(all).build()));
            dynamo.updateTable(b -> b.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException e) {
            // already there
        } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
            if (!String.valueOf(e.getMessage()).contains("already")) {
                throw e;
            }
        }
    }

    @Override
    public boolean create(Job job) {
        try {
            table.putItem(toItem(job.withVersion(null)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Job> find(String jobId) {
        JobItem item = table.getItem(b -> b.key(Key.builder().partitionValue(jobId).build()).consistentRead(true));
        return Optional.ofNullable(item).filter(i -> i.getDocument() != null).map(DynamoJobStore::fromItem);
    }

    @Override
    public Job update(String jobId, UnaryOperator<Job> change) {
        return update(jobId, null, change);
    }

    @Override
    public Job update(Job current, UnaryOperator<Job> change) {
        return update(current.jobId(), current, change);
    }

    /** {@code known}: the job as the caller has it, tried first without a read; null to read it. */
    private Job update(String jobId, Job known, UnaryOperator<Job> change) {
        for (int attempt = 1; ; attempt++) {
            Job current = attempt == 1 && known != null && known.version() != null ? known : get(jobId);
            Job next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            try {
                JobItem stored = table.updateItem(toItem(next.withVersion(current.version())));
                return fromItem(stored);
            } catch (ConditionalCheckFailedException e) {
                if (attempt >= MAX_TRIES) {
                    throw new IllegalStateException("job " + jobId + " kept changing under " + MAX_TRIES + " tries", e);
                }
            }
        }
    }

    @Override
    public List<Job> waiting(int limit) {
        QueryEnhancedRequest query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(JobItem.WAITING).build()))
                .scanIndexForward(true).limit(limit).build();
        return table.index(JobItem.BY_QUEUE).query(query).iterator().next().items().stream()
                .map(DynamoJobStore::fromItem).toList();
    }

    @Override
    public long waitingAhead(Job job) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var answer = dynamo.query(b -> b.tableName(tableName).indexName(JobItem.BY_QUEUE)
                    .keyConditionExpression("#q = :q AND #k < :k").select(Select.COUNT)
                    .expressionAttributeNames(Map.of("#q", "queue", "#k", "queueKey"))
                    .expressionAttributeValues(Map.of(":q", AttributeValue.fromS(JobItem.WAITING),
                            ":k", AttributeValue.fromS(job.queueKey())))
                    .exclusiveStartKey(from));
            count += answer.count();
            start = answer.hasLastEvaluatedKey() && !answer.lastEvaluatedKey().isEmpty() ? answer.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    @Override
    public Page list(Optional<JobStatus> status, int limit, Optional<String> nextToken) {
        // both waiting statuses are in the queue's index, in queue order: one of them is listed by a filter on it
        boolean queue = status.map(JobStatus::isWaiting).orElse(false);
        DynamoDbIndex<JobItem> index = table.index(queue ? JobItem.BY_QUEUE
                : status.isPresent() ? JobItem.BY_STATUS : JobItem.BY_CREATED);
        String partition = queue ? JobItem.WAITING : status.map(Enum::name).orElse(JobItem.ALL_JOBS);
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(partition).build()))
                .scanIndexForward(queue).limit(limit + 1);
        if (queue) {
            query.filterExpression(software.amazon.awssdk.enhanced.dynamodb.Expression.builder().expression("#s = :s")
                    .putExpressionName("#s", "status").putExpressionValue(":s", AttributeValue.fromS(status.get().name())).build());
        }
        nextToken.map(t -> decodeToken(t, status)).ifPresent(query::exclusiveStartKey);
        software.amazon.awssdk.enhanced.dynamodb.model.Page<JobItem> page = index.query(query.build()).iterator().next();
        // one more than asked for: a next page is promised only when it holds a job
        List<JobItem> items = page.items();
        Optional<String> next;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = Optional.of(encodeToken(keyOf(items.get(limit - 1), index.indexName())));
        } else {
            next = Optional.ofNullable(page.lastEvaluatedKey()).filter(k -> !k.isEmpty()).map(DynamoJobStore::encodeToken);
        }
        return new Page(items.stream().map(DynamoJobStore::fromItem).toList(), next);
    }

    /** The key DynamoDB would hand back after {@code item} in a query of {@code indexName}. */
    private Map<String, AttributeValue> keyOf(JobItem item, String indexName) {
        var metadata = table.tableSchema().tableMetadata();
        java.util.Set<String> names = new java.util.HashSet<>();
        names.add(metadata.primaryPartitionKey());
        metadata.primarySortKey().ifPresent(names::add);
        names.add(metadata.indexPartitionKey(indexName));
        metadata.indexSortKey(indexName).ifPresent(names::add);
        return table.tableSchema().itemToMap(item, names);
    }

    /** Also maps a sample job to an item and back, in memory: the conversion a found job takes, which an absent key skips. */
    @Override
    public void prime(String absentJobId) {
        ObjectNode request = JSON.createObjectNode().put("prompt", "priming").put("resolution", "480p");
        Job sample = Job.queued(absentJobId, request, new Job.Source("api", "bucket", "inputs/sample.mp4", null, null, 1L, "video/mp4"),
                null, null, java.time.Instant.EPOCH, 1);
        fromItem(SCHEMA.mapToItem(SCHEMA.itemToMap(toItem(sample), true)));
        find(absentJobId);
    }

    /**
     * An update of the absent job as {@link #update} makes one (the version's condition included),
     * with a condition that the item exists: DynamoDB refuses it and nothing is written.
     */
    @Override
    public void primeUpdate(String absentJobId) {
        ObjectNode request = JSON.createObjectNode().put("prompt", "priming").put("resolution", "480p");
        Job sample = Job.queued(absentJobId, request, new Job.Source("api", "bucket", "inputs/sample.mp4", null, null, 1L, "video/mp4"),
                null, null, java.time.Instant.EPOCH, 1);
        try {
            table.updateItem(r -> r.item(toItem(sample.withVersion(1L)))
                    .conditionExpression(software.amazon.awssdk.enhanced.dynamodb.Expression.builder()
                            .expression("attribute_exists(jobId)").build()));
            throw new IllegalStateException("the priming update of " + absentJobId + " was not refused: a job has that id");
        } catch (ConditionalCheckFailedException expected) {
            // the answer expected: no such job, nothing written
        }
    }

    /** The item this store writes for {@code job}, as DynamoDB holds it (for SnapStart's priming, which answers it itself). */
    public static java.util.Map<String, AttributeValue> itemOf(Job job) {
        return SCHEMA.itemToMap(toItem(job), true);
    }

    private static JobItem toItem(Job job) {
        JobItem item = new JobItem();
        item.setJobId(job.jobId());
        item.setStatus(job.status().name());
        item.setCreatedAt(SORTABLE.format(job.createdAt()));
        if (job.status().isWaiting()) {
            item.setQueue(JobItem.WAITING);
            item.setQueueKey(job.queueKey());
        }
        item.setListKey(JobItem.ALL_JOBS);
        item.setVersion(job.version());
        item.setExpiresAt(job.expiresAt());
        item.setDocument(JobDocument.write(job.withVersion(null)));
        return item;
    }

    private static Job fromItem(JobItem item) {
        try {
            return JobDocument.read(item.getDocument()).withVersion(item.getVersion());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("unreadable record of job " + item.getJobId() + ": " + e.getMessage(), e);
        }
    }

    private static String encodeToken(Map<String, AttributeValue> key) {
        Map<String, String> plain = new java.util.TreeMap<>();
        key.forEach((k, v) -> plain.put(k, v.s()));
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(plain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The start key in {@code token}: exactly the keys of the index listed, the filter's status, short strings only. */
    private static Map<String, AttributeValue> decodeToken(String token, Optional<JobStatus> status) {
        java.util.Set<String> expected = status.map(JobStatus::isWaiting).orElse(false)
                ? java.util.Set.of("jobId", "queue", "queueKey")
                : status.isPresent() ? java.util.Set.of("jobId", "status", "createdAt") : java.util.Set.of("jobId", "listKey", "createdAt");
        try {
            if (token.length() > 1024) {
                throw new IllegalArgumentException("too long");
            }
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(Base64.getUrlDecoder().decode(token));
            Map<String, String> plain = new java.util.HashMap<>();
            if (tree != null && tree.isObject()) {
                tree.fields().forEachRemaining(f -> plain.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : null));
            }
            boolean valid = plain.keySet().equals(expected) && plain.values().stream().allMatch(v -> v != null && v.length() <= 100)
                    && plain.get("jobId").matches(io.outpaint.job.JobIds.PATTERN)
                    && plain.getOrDefault("status", status.map(Enum::name).orElse("")).equals(status.map(Enum::name).orElse(""))
                    && plain.getOrDefault("listKey", JobItem.ALL_JOBS).equals(JobItem.ALL_JOBS)
                    && plain.getOrDefault("queue", JobItem.WAITING).equals(JobItem.WAITING);
            if (!valid) {
                throw new IllegalArgumentException("not a page token of this list");
            }
            Map<String, AttributeValue> key = new java.util.HashMap<>();
            plain.forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidPageTokenException();
        }
    }

}
