package io.outpaint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.job.IllegalTransitionException;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/** The job store and the slot limiter on AWS's DynamoDB Local. */
class DynamoStoreTest {

    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;
    private static DynamoJobStore store;
    private static DynamoSlotLimiter slots;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
        DynamoJobStore.createTableIfMissing(dynamo, "jobs");
        store = new DynamoJobStore(dynamo, "jobs");
        slots = new DynamoSlotLimiter(dynamo, "jobs");
    }

    @AfterAll
    static void stop() {
        local.shutdown();
    }

    private static Job newJob(String id, Instant at) {
        return Job.queued(id, new ObjectMapper().createObjectNode().put("prompt", "p"),
                new Job.Source("api", "b", "inputs/x.mp4", null, null, null, null), null, null, at, 30);
    }

    /** DynamoDB Local's client, counting the GetItem and UpdateItem calls made through it. */
    private static DynamoDbClient counting(java.util.concurrent.atomic.AtomicInteger reads, java.util.concurrent.atomic.AtomicInteger writes) {
        return new DynamoDbClient() {
            @Override public String serviceName() { return dynamo.serviceName(); }
            @Override public void close() {}
            @Override public software.amazon.awssdk.services.dynamodb.model.GetItemResponse getItem(
                    software.amazon.awssdk.services.dynamodb.model.GetItemRequest r) {
                reads.incrementAndGet();
                return dynamo.getItem(r);
            }
            @Override public software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse updateItem(
                    software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest r) {
                writes.incrementAndGet();
                return dynamo.updateItem(r);
            }
        };
    }

    @Test
    void createsOnceAndKeepsTheFirstRecord() {
        Job job = newJob("create-once", Instant.now());
        assertThat(store.create(job)).isTrue();
        assertThat(store.create(newJob("create-once", Instant.now().plusSeconds(5)))).isFalse();
        Job stored = store.find("create-once").orElseThrow();
        assertThat(stored.createdAt()).isEqualTo(job.createdAt());
        assertThat(stored.version()).isEqualTo(1L);
        assertThat(stored.request()).isEqualTo(job.request());
    }

    @Test
    void concurrentUpdatesAreAllAppliedNoneLost() throws Exception {
        store.create(newJob("concurrent", Instant.now()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            int n = i;
            writes.add(pool.submit(() -> {
                go.await();
                return store.update("concurrent", j -> j.withOutput(new Job.Output("asset_" + n, "b", "k" + n, n, "s", "video/mp4",
                        null, null, null), Instant.now()));
            }));
        }
        go.countDown();
        for (Future<?> w : writes) {
            w.get();
        }
        pool.shutdown();
        Job job = store.find("concurrent").orElseThrow();
        assertThat(job.outputs()).hasSize(6);
        assertThat(job.version()).isEqualTo(7L);
    }

    @Test
    void anUpdateFromTheJobInHandReadsNothingUnlessSomeoneElseWroteInBetween() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        DynamoDbClient counting = counting(reads, new java.util.concurrent.atomic.AtomicInteger());
        DynamoJobStore jobs = new DynamoJobStore(counting, "jobs");
        store.create(newJob("in-hand", Instant.now()));
        Job read = jobs.get("in-hand");
        int before = reads.get();
        Job waiting = jobs.update(read, j -> j.moveTo(JobStatus.WAITING_FOR_SLOT, Instant.now(), null));
        assertThat(reads.get()).as("no read: the job in hand was current").isEqualTo(before);
        assertThat(waiting.status()).isEqualTo(JobStatus.WAITING_FOR_SLOT);
        assertThat(waiting.version()).isEqualTo(read.version() + 1);

        // someone else writes: the job in hand is stale, the write's condition refuses it, one read, the change applied to the fresh job
        store.update("in-hand", j -> j.withProgress(0.5, Instant.now()));
        Job both = jobs.update(waiting, j -> j.moveTo(JobStatus.ADMITTED, Instant.now(), null));
        assertThat(reads.get()).isEqualTo(before + 1);
        assertThat(both.status()).isEqualTo(JobStatus.ADMITTED);
        assertThat(both.progress()).as("the other writer's change kept").isEqualTo(0.5);
        assertThat(store.get("in-hand")).isEqualTo(both);
    }

    @Test
    void aStatusNeverMovesBackwardsEvenFromAStaleReader() {
        store.create(newJob("monotonic", Instant.now()));
        store.update("monotonic", j -> j.moveTo(JobStatus.RUNNING, Instant.now(), null));
        assertThatThrownBy(() -> store.update("monotonic", j -> j.moveTo(JobStatus.SUBMITTED, Instant.now(), null)))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(store.find("monotonic").orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void anUnchangedRecordIsNotWrittenAgain() {
        store.create(newJob("unchanged", Instant.now()));
        Job once = store.update("unchanged", j -> j.moveTo(JobStatus.UPLOADING, Instant.now(), null));
        Job twice = store.update("unchanged", j -> j.moveTo(JobStatus.UPLOADING, Instant.now(), null));
        assertThat(twice.version()).isEqualTo(once.version());
        assertThat(twice.history()).hasSize(2);
    }

    @Test
    void listsNewestFirstPageByPageAndByStatus() {
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            store.create(newJob("list-" + i, base.plusSeconds(i)));
        }
        store.update("list-3", j -> j.moveTo(JobStatus.CANCELED, Instant.now(), null));
        JobStore.Page first = store.list(Optional.empty(), 2, Optional.empty());
        assertThat(first.jobs()).extracting(Job::jobId).containsExactly("list-4", "list-3");
        JobStore.Page second = store.list(Optional.empty(), 2, first.nextToken());
        assertThat(second.jobs()).extracting(Job::jobId).containsExactly("list-2", "list-1");
        assertThat(store.list(Optional.of(JobStatus.CANCELED), 10, Optional.empty()).jobs())
                .extracting(Job::jobId).containsExactly("list-3");
        assertThatThrownBy(() -> store.list(Optional.empty(), 2, Optional.of("not-a-token")))
                .isInstanceOf(InvalidPageTokenException.class);
    }

    @Test
    void refusesPositionsOfAnotherListOrOfAnotherShapeBeforeQuerying() {
        Instant base = Instant.parse("2020-01-01T00:00:00Z"); // older than the other tests' jobs, which list first
        for (int i = 0; i < 3; i++) {
            store.create(newJob("shape-" + i, base.plusSeconds(i)));
        }
        String unfiltered = store.list(Optional.empty(), 1, Optional.empty()).nextToken().orElseThrow();
        String queued = store.list(Optional.of(JobStatus.QUEUED), 1, Optional.empty()).nextToken().orElseThrow();
        java.util.function.Function<String, String> b64 = text -> java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (var bad : java.util.List.of(
                java.util.Map.entry(Optional.of(JobStatus.QUEUED), unfiltered),
                java.util.Map.entry(Optional.<JobStatus>empty(), queued),
                java.util.Map.entry(Optional.of(JobStatus.FAILED), queued),
                java.util.Map.entry(Optional.<JobStatus>empty(), b64.apply("{\"jobId\":\"x\"}")),
                java.util.Map.entry(Optional.<JobStatus>empty(), b64.apply("{}")),
                java.util.Map.entry(Optional.<JobStatus>empty(), b64.apply("{\"jobId\":1,\"listKey\":\"JOB\",\"createdAt\":\"x\"}")),
                java.util.Map.entry(Optional.<JobStatus>empty(), b64.apply("{\"jobId\":\"" + "j".repeat(6000)
                        + "\",\"listKey\":\"JOB\",\"createdAt\":\"x\"}")))) {
            assertThatThrownBy(() -> store.list(bad.getKey(), 1, Optional.of(bad.getValue())))
                    .as(bad.toString().substring(0, Math.min(80, bad.toString().length())))
                    .isInstanceOf(InvalidPageTokenException.class);
        }
        assertThat(store.list(Optional.of(JobStatus.QUEUED), 1, Optional.of(queued)).jobs()).hasSize(1);
    }

    @Test
    void aPageNeverPromisesAnEmptyNextPage() {
        DynamoJobStore.createTableIfMissing(dynamo, "jobs-pages");
        DynamoJobStore pages = new DynamoJobStore(dynamo, "jobs-pages");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 1; i <= 3; i++) {
            pages.create(newJob("page-" + i, start.plusSeconds(i)));
        }
        // exactly as many jobs as the limit: no token to an empty page
        assertThat(pages.list(Optional.empty(), 3, Optional.empty()).nextToken()).isEmpty();
        JobStore.Page first = pages.list(Optional.empty(), 2, Optional.empty());
        assertThat(first.jobs()).extracting(Job::jobId).containsExactly("page-3", "page-2");
        JobStore.Page last = pages.list(Optional.empty(), 2, first.nextToken());
        assertThat(last.jobs()).extracting(Job::jobId).containsExactly("page-1");
        assertThat(last.nextToken()).isEmpty();
        JobStore.Page queued = pages.list(Optional.of(JobStatus.QUEUED), 2, Optional.empty());
        assertThat(pages.list(Optional.of(JobStatus.QUEUED), 2, queued.nextToken()).jobs()).extracting(Job::jobId).containsExactly("page-1");
        assertThat(pages.list(Optional.of(JobStatus.QUEUED), 3, Optional.empty()).nextToken()).isEmpty();
    }

    @Test
    void slotsAreLimitedIdempotentAndReleasedOnce() {
        assertThat(slots.tryAcquire("a", 2)).isTrue();
        assertThat(slots.tryAcquire("a", 2)).isTrue(); // a repeated acquire keeps the one slot
        assertThat(slots.tryAcquire("b", 2)).isTrue();
        assertThat(slots.tryAcquire("c", 2)).isFalse();
        assertThat(slots.holders()).containsExactlyInAnyOrder("a", "b");
        slots.release("a");
        slots.release("a");
        assertThat(slots.tryAcquire("c", 2)).isTrue();
        assertThat(slots.holders()).containsExactlyInAnyOrder("b", "c");
        slots.release("b");
        slots.release("c");
        assertThat(slots.holders()).isEmpty();
    }

    @Test
    void anAcquireSaysWhetherItTookTheSlotOrTheJobHeldItAlready() {
        assertThat(slots.acquire("x", 1)).isEqualTo(SlotLimiter.Acquired.TAKEN);
        assertThat(slots.acquire("x", 1)).isEqualTo(SlotLimiter.Acquired.HELD);
        assertThat(slots.acquire("y", 1)).isEqualTo(SlotLimiter.Acquired.FULL);
        assertThat(slots.holders()).containsExactly("x");
        slots.release("x");
        assertThat(slots.acquire("y", 1)).isEqualTo(SlotLimiter.Acquired.TAKEN);
        slots.release("y");
        assertThat(slots.holders()).isEmpty();
    }

    @Test
    void aBatchOfSlotsIsTakenInOneWriteWhenThereIsRoomAndOneByOneInOrderWhenNot() {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        DynamoDbClient counting = counting(new java.util.concurrent.atomic.AtomicInteger(), writes);
        DynamoSlotLimiter batched = new DynamoSlotLimiter(counting, "jobs");
        java.util.List<String> four = java.util.List.of("b1", "b2", "b3", "b4");
        try {
            assertThat(batched.acquireAll(four, 5)).containsOnly(SlotLimiter.Acquired.TAKEN).hasSize(4);
            assertThat(writes.get()).as("room for all four, none held: one write").isEqualTo(1);
            assertThat(batched.holders()).containsExactlyInAnyOrderElementsOf(four);

            // one slot left and one of the batch held already: the one write is refused, then each in order
            writes.set(0);
            assertThat(batched.acquireAll(java.util.List.of("b4", "b5", "b6", "b7"), 5)).containsExactly(
                    SlotLimiter.Acquired.HELD, SlotLimiter.Acquired.TAKEN, SlotLimiter.Acquired.FULL, SlotLimiter.Acquired.FULL);
            assertThat(writes.get()).as("the refused batch, then b4, b5 and b6 (FULL stops the tries)").isEqualTo(4);
            assertThat(batched.holders()).containsExactlyInAnyOrder("b1", "b2", "b3", "b4", "b5");

            // room for the whole batch, one of it held already: the one write is refused by the held one alone
            // (a set's ADD would take it silently), and each is tried in order
            batched.release("b5");
            writes.set(0);
            assertThat(batched.acquireAll(java.util.List.of("b4", "b5"), 10)).containsExactly(SlotLimiter.Acquired.HELD, SlotLimiter.Acquired.TAKEN);
            assertThat(writes.get()).as("the refused batch, then b4 and b5").isEqualTo(3);

            // exactly the room left: taken in one write; over the limit: nothing taken past it
            four.forEach(batched::release);
            writes.set(0);
            assertThat(batched.acquireAll(java.util.List.of("c1", "c2", "c3", "c4"), 5)).containsOnly(SlotLimiter.Acquired.TAKEN);
            assertThat(writes.get()).isEqualTo(1);
            assertThat(batched.acquireAll(java.util.List.of("d1", "d2"), 5)).containsExactly(SlotLimiter.Acquired.FULL, SlotLimiter.Acquired.FULL);
            assertThat(batched.holders()).containsExactlyInAnyOrder("b5", "c1", "c2", "c3", "c4");
        } finally {
            batched.holders().forEach(batched::release);
        }
        assertThat(slots.holders()).isEmpty();
    }

    @Test
    void aShapesKnownTimeIsReadFromTheTableAtMostOnceInAWhileAndAnUnknownOneEveryTime() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        DynamoDbClient counting = counting(reads, new java.util.concurrent.atomic.AtomicInteger());
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-12-04T10:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        DynamoJobDurations reader = new DynamoJobDurations(counting, "jobs", clock);
        DynamoJobDurations writer = new DynamoJobDurations(dynamo, "jobs"); // another container

        assertThat(reader.typical("81f-kept")).isEmpty();
        assertThat(reader.typical("81f-kept")).isEmpty();
        assertThat(reads.get()).as("a shape not known yet is looked up every time").isEqualTo(2);

        writer.record("81f-kept", java.time.Duration.ofSeconds(100));
        assertThat(reader.typical("81f-kept")).contains(java.time.Duration.ofSeconds(100)); // known to the next at once
        writer.record("81f-kept", java.time.Duration.ofSeconds(200)); // the mean is now 150 s
        reads.set(0);
        now.set(now.get().plus(DynamoJobDurations.KEPT).minusSeconds(1));
        assertThat(reader.typical("81f-kept")).contains(java.time.Duration.ofSeconds(100));
        assertThat(reads.get()).as("kept: no read").isZero();
        now.set(now.get().plusSeconds(1));
        assertThat(reader.typical("81f-kept")).contains(java.time.Duration.ofSeconds(150));
        assertThat(reads.get()).as("after KEPT, read again").isEqualTo(1);

        // what a container records itself it uses at once
        reader.record("81f-kept", java.time.Duration.ofSeconds(60)); // the running mean: 150 + (60 - 150) / 3 = 120 s
        reads.set(0);
        assertThat(reader.typical("81f-kept")).contains(java.time.Duration.ofSeconds(120));
        assertThat(reads.get()).isZero();
    }
}
