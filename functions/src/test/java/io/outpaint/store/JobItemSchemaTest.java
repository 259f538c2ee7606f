package io.outpaint.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The written-out schema: the table's key, every index's keys, the version attribute, and an item's round trip. */
class JobItemSchemaTest {

    private final TableMetadata metadata = JobItem.SCHEMA.tableMetadata();

    @Test
    void keysOfTheTableAndOfEachIndex() {
        assertThat(metadata.primaryPartitionKey()).isEqualTo("jobId");
        assertThat(metadata.primarySortKey()).isEmpty();
        assertThat(metadata.indexPartitionKey(JobItem.BY_STATUS)).isEqualTo("status");
        assertThat(metadata.indexSortKey(JobItem.BY_STATUS)).contains("createdAt");
        assertThat(metadata.indexPartitionKey(JobItem.BY_CREATED)).isEqualTo("listKey");
        assertThat(metadata.indexSortKey(JobItem.BY_CREATED)).contains("createdAt");
        assertThat(metadata.indexPartitionKey(JobItem.BY_QUEUE)).isEqualTo("queue");
        assertThat(metadata.indexSortKey(JobItem.BY_QUEUE)).contains("queueKey");
    }

    @Test
    void theVersionIsTheAttributeTheEnhancedClientChecks() {
        assertThat(metadata.customMetadataObject("VersionedRecordExtension:VersionAttribute", String.class)).contains("version");
    }

    @Test
    void anItemRoundTripsThroughItsAttributes() {
        JobItem item = new JobItem();
        item.setJobId("api-1");
        item.setStatus("WAITING_FOR_SLOT");
        item.setCreatedAt("2026-12-03T08:00:00Z");
        item.setListKey(JobItem.ALL_JOBS);
        item.setQueue(JobItem.WAITING);
        item.setQueueKey("5#2026-12-03T08:00:00Z#api-1");
        item.setVersion(3L);
        item.setExpiresAt(1796000000L);
        item.setDocument("{\"jobId\":\"api-1\"}");

        Map<String, AttributeValue> attributes = JobItem.SCHEMA.itemToMap(item, true);
        assertThat(attributes).containsOnlyKeys("jobId", "status", "createdAt", "listKey", "queue", "queueKey", "version",
                "expiresAt", "document");
        assertThat(attributes.get("version").n()).isEqualTo("3");
        JobItem back = JobItem.SCHEMA.mapToItem(attributes);
        assertThat(back.getJobId()).isEqualTo("api-1");
        assertThat(back.getQueueKey()).isEqualTo(item.getQueueKey());
        assertThat(back.getVersion()).isEqualTo(3L);
        assertThat(back.getExpiresAt()).isEqualTo(1796000000L);
        assertThat(back.getDocument()).isEqualTo(item.getDocument());
        // absent attributes stay absent, as a job that is not waiting carries no queue keys
        assertThat(JobItem.SCHEMA.itemToMap(new JobItem(), true)).isEmpty();
    }
}
