package io.outpaint.store;

import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * A job as stored: the attributes the key and the indexes need, the version for optimistic
 * locking, and the rest of the record as one JSON document.
 */
@DynamoDbBean
public class JobItem {

    public static final String BY_STATUS = "byStatus";
    public static final String BY_CREATED = "byCreated";
    /** A sparse index of the jobs waiting for a slot, in queue order: only they carry its keys. */
    public static final String BY_QUEUE = "byQueue";
    public static final String WAITING = "WAITING";
    /** The one partition of the by-created index: every job, newest first. */
    public static final String ALL_JOBS = "JOB";

    private String jobId;
    private String status;
    private String createdAt;
    private String listKey;
    private String queue;
    private String queueKey;
    private Long version;
    private Long expiresAt;
    private String document;

    @DynamoDbPartitionKey
    public String getJobId() { return jobId; }
    public void setJobId(String value) { jobId = value; }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_STATUS)
    public String getStatus() { return status; }
    public void setStatus(String value) { status = value; }

    @DynamoDbSecondarySortKey(indexNames = {BY_STATUS, BY_CREATED})
    public String getCreatedAt() { return createdAt; }
    public void setCreatedAt(String value) { createdAt = value; }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_CREATED)
    public String getListKey() { return listKey; }
    public void setListKey(String value) { listKey = value; }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_QUEUE)
    public String getQueue() { return queue; }
    public void setQueue(String value) { queue = value; }

    @DynamoDbSecondarySortKey(indexNames = BY_QUEUE)
    public String getQueueKey() { return queueKey; }
    public void setQueueKey(String value) { queueKey = value; }

    @DynamoDbVersionAttribute
    public Long getVersion() { return version; }
    public void setVersion(Long value) { version = value; }

    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long value) { expiresAt = value; }

    public String getDocument() { return document; }
    public void setDocument(String value) { document = value; }
}
