package io.outpaint.media;

import io.outpaint.scenario.ResultDownload;
import io.outpaint.scenario.ScenarioClient;
import io.outpaint.scenario.ScenarioException;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A result's bytes that survive dropped connections and expired URLs: on a broken read it opens the
 * result again (with a freshly signed URL) from the byte it had reached.
 */
final class ResumingDownload extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(ResumingDownload.class);

    private final ScenarioClient scenario;
    private final String assetId;
    private final int maxResumes;
    private final long size;
    private ResultDownload current;
    private long position;
    private int resumes;

    ResumingDownload(ScenarioClient scenario, String assetId, int maxResumes) {
        this.scenario = scenario;
        this.assetId = assetId;
        this.maxResumes = maxResumes;
        this.current = scenario.openResult(assetId, 0);
        this.size = current.length();
    }

    ResultDownload first() {
        return current;
    }

    long size() {
        return size;
    }

    long resumes() {
        return resumes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            try {
                int n = current.body().read(buffer, offset, length);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException e) {
                if (++resumes > maxResumes || position >= size) {
                    throw e;
                }
                LOG.warn("download of {} broke at byte {} of {} ({}); resuming", assetId, position, size, e.getMessage());
                closeQuietly();
                try {
                    current = scenario.openResult(assetId, position);
                } catch (ScenarioException failure) {
                    throw new IOException("could not resume the download of " + assetId, failure);
                }
                if (current.offset() + current.length() != size) {
                    throw new IOException("result " + assetId + " changed size while it was copied");
                }
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            current.close();
        } catch (IOException ignored) {
            // the connection is gone already
        }
    }
}
