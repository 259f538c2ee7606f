package io.outpaint.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * A job as stored: the attributes the key and the indexes need, the version for optimistic
 * locking, and the rest of the record as one JSON document.
 *
 * <p>Its schema is written out ({@link #SCHEMA}) rather than read from bean annotations:
 * {@code TableSchema.fromBean} introspects the class and generates accessors at run time, which
 * cost every function's cold start about 50 ms; this one is plain method references.
 */
public class JobItem {

    public static final String BY_STATUS = "byStatus";
    public static final String BY_CREATED = "byCreated";
    /** A sparse index of the jobs waiting for a slot, in queue order: only they carry its keys. */
    public static final String BY_QUEUE = "byQueue";
    public static final String WAITING = "WAITING";
    /** The one partition of the by-created index: every job, newest first. */
    public static final String ALL_JOBS = "JOB";

    /** The table's schema: the key, each index's keys, the version the enhanced client checks and bumps. */
    public static final StaticTableSchema<JobItem> SCHEMA = StaticTableSchema.builder(JobItem.class)
            .newItemSupplier(JobItem::new)
            .addAttribute(String.class, a -> a.name("jobId").getter(JobItem::getJobId).setter(JobItem::setJobId)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("status").getter(JobItem::getStatus).setter(JobItem::setStatus)
                    .tags(secondaryPartitionKey(BY_STATUS)))
            .addAttribute(String.class, a -> a.name("createdAt").getter(JobItem::getCreatedAt).setter(JobItem::setCreatedAt)
                    .tags(secondarySortKey(List.of(BY_STATUS, BY_CREATED))))
            .addAttribute(String.class, a -> a.name("listKey").getter(JobItem::getListKey).setter(JobItem::setListKey)
                    .tags(secondaryPartitionKey(BY_CREATED)))
            .addAttribute(String.class, a -> a.name("queue").getter(JobItem::getQueue).setter(JobItem::setQueue)
                    .tags(secondaryPartitionKey(BY_QUEUE)))
            .addAttribute(String.class, a -> a.name("queueKey").getter(JobItem::getQueueKey).setter(JobItem::setQueueKey)
                    .tags(secondarySortKey(BY_QUEUE)))
            .addAttribute(Long.class, a -> a.name("version").getter(JobItem::getVersion).setter(JobItem::setVersion)
                    .tags(VersionedRecordExtension.AttributeTags.versionAttribute()))
            .addAttribute(Long.class, a -> a.name("expiresAt").getter(JobItem::getExpiresAt).setter(JobItem::setExpiresAt))
            .addAttribute(String.class, a -> a.name("document").getter(JobItem::getDocument).setter(JobItem::setDocument))
            .build();

    private String jobId;
    private String status;
    private String createdAt;
    private String listKey;
    private String queue;
    private String queueKey;
    private Long version;
    private Long expiresAt;
    private String document;

    public String getJobId() { return jobId; }
    public void setJobId(String value) { jobId = value; }

    public String getStatus() { return status; }
    public void setStatus(String value) { status = value; }

    public String getCreatedAt() { return createdAt; }
    public void setCreatedAt(String value) { createdAt = value; }

    public String getListKey() { return listKey; }
    public void setListKey(String value) { listKey = value; }

    public String getQueue() { return queue; }
    public void setQueue(String value) { queue = value; }

    public String getQueueKey() { return queueKey; }
    public void setQueueKey(String value) { queueKey = value; }

    public Long getVersion() { return version; }
    public void setVersion(Long value) { version = value; }

    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long value) { expiresAt = value; }

    public String getDocument() { return document; }
    public void setDocument(String value) { document = value; }
}
