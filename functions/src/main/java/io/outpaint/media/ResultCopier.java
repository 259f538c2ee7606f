package io.outpaint.media;

import io.outpaint.scenario.ScenarioAsset;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioException;
import io.outpaint.scenario.ScenarioProtocolException;
import java.io.IOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.BlockingInputStreamAsyncRequestBody;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.Upload;

/**
 * Copies a Scenario result into the bucket as it downloads: multipart through the Transfer
 * Manager, so memory is bounded by part size and parallelism, never by the file. S3 checks each
 * part's CRC32; the copy checks the byte count against Scenario's and records the SHA-256. The
 * object appears under its key only when complete; a failed copy leaves nothing there.
 */
public final class ResultCopier implements ResultCopies {

    /** What was copied. */
    public record Copied(ScenarioAsset asset, long bytes, String sha256, String contentType, long resumes) {}

    private final ScenarioClient scenario;
    private final Supplier<S3TransferManager> transfers;
    private final Supplier<S3Client> s3;

    /** Over clients built when first needed: only CopyResults copies. */
    public ResultCopier(ScenarioClient scenario, Supplier<S3TransferManager> transfers, Supplier<S3Client> s3) {
        this.scenario = scenario;
        this.transfers = transfers;
        this.s3 = s3;
    }

    public ResultCopier(ScenarioClient scenario, S3TransferManager transfers, S3Client s3) {
        this(scenario, () -> transfers, () -> s3);
    }

    @Override
    public Copied copy(String assetId, String bucket, String key) {
        ResumingDownload download = new ResumingDownload(scenario, assetId, 5);
        ScenarioAsset asset = download.first().asset();
        long size = download.size();
        if (size <= 0 || (asset.size() > 0 && asset.size() != size)) {
            download.close();
            throw new ScenarioProtocolException("result " + assetId + " is " + size + " bytes to download but Scenario says "
                    + asset.size(), 200, null, null);
        }
        MessageDigest sha256 = sha256();
        String contentType = asset.mimeType().startsWith("video/") ? asset.mimeType() : "video/mp4";
        BlockingInputStreamAsyncRequestBody body = AsyncRequestBody.forBlockingInputStream(size);
        Upload upload = transfers.get().upload(u -> u.requestBody(body).putObjectRequest(p -> p.bucket(bucket).key(key)
                .contentType(contentType).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                .metadata(java.util.Map.of("scenario-asset-id", assetId))));
        try (DigestInputStream in = new DigestInputStream(download, sha256)) {
            body.writeInputStream(in);
            upload.completionFuture().join();
        } catch (IOException | RuntimeException e) {
            upload.completionFuture().cancel(true);
            throw rootCause(e, assetId);
        }
        long stored = s3.get().headObject(b -> b.bucket(bucket).key(key)).contentLength();
        if (stored != size) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " holds " + stored + " bytes, not " + size);
        }
        return new Copied(asset, size, HexFormat.of().formatHex(sha256.digest()), contentType, download.resumes());
    }

    /** The Scenario error behind a failed copy, so the state machine retries or fails on the right name. */
    private static RuntimeException rootCause(Throwable e, String assetId) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ScenarioException scenarioError) {
                return scenarioError;
            }
        }
        return new CopyFailedException("copy of " + assetId + " failed: " + e.getMessage(), e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
