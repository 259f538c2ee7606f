package io.outpaint.scenario;

import java.io.IOException;
import java.io.InputStream;

/**
 * An open download of a result, from {@code offset} to the end. Read it once and close it; if it
 * breaks, open the result again from the number of bytes already read.
 */
public record ResultDownload(ScenarioAsset asset, long offset, long length, InputStream body) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        body.close();
    }
}
