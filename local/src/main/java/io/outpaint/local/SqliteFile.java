package io.outpaint.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a file is a whole SQLite database (DynamoDB Local keeps its tables in one), read from its
 * header as SQLite's file format documents it: the magic string, a page size, and the length the
 * header records against the length the file has. A file with a journal beside it is mid-write:
 * SQLite itself repairs it on open, so only its magic string is judged.
 */
final class SqliteFile {

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 100;

    private SqliteFile() {
    }

    /** What is wrong with {@code file}, for people ("it is 1500 bytes, not a whole number of its 1024-byte pages"); empty when whole. */
    static Optional<String> damage(Path file, boolean mustHoldTables) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.of("it is not a file");
        }
        long size = Files.size(file);
        if (size == 0) {
            return mustHoldTables ? Optional.of("it is empty, though it held the jobs table") : Optional.empty();
        }
        if (size < HEADER) {
            return Optional.of("it is " + size + " bytes, shorter than SQLite's " + HEADER + "-byte header");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        try (FileChannel in = FileChannel.open(file)) {
            while (header.hasRemaining() && in.read(header) >= 0) {
                // read the whole header
            }
        }
        byte[] magic = new byte[MAGIC.length];
        header.get(0, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return Optional.of("it does not start as an SQLite database does");
        }
        if (Files.exists(Path.of(file + "-journal")) || Files.exists(Path.of(file + "-wal"))) {
            return Optional.empty(); // a write was under way: SQLite rolls it back or forward on open
        }
        int pageSize = Short.toUnsignedInt(header.getShort(16));
        pageSize = pageSize == 1 ? 65_536 : pageSize;
        if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            return Optional.of("its header gives no valid page size");
        }
        if (size % pageSize != 0) {
            return Optional.of("it is " + size + " bytes, not a whole number of its " + pageSize + "-byte pages: it was cut short");
        }
        long pages = Integer.toUnsignedLong(header.getInt(28));
        boolean pagesValid = pages != 0 && header.getInt(24) == header.getInt(92);
        if (pagesValid && pages * pageSize != size) {
            return Optional.of("it is " + size + " bytes, though its header says " + pages * pageSize
                    + (pages * pageSize > size ? ": it was cut short" : ""));
        }
        return Optional.empty();
    }
}
