package io.outpaint.media;

/** Where a Scenario result is copied to the bucket: the port CopyResults uses ({@link ResultCopier} on S3). */
@FunctionalInterface
public interface ResultCopies {

    /** Copies asset {@code assetId} to {@code s3://bucket/key}, whole and checked, or throws. */
    ResultCopier.Copied copy(String assetId, String bucket, String key);
}
