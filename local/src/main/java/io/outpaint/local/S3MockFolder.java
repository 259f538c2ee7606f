package io.outpaint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bucket as S3Mock keeps it on disk: {@value #BUCKET_FILE} maps each key to a folder, which
 * holds {@code versions.json} and per version {@code <version>-objectMetadata.json} and
 * {@code <version>-binaryData} (without versioning, the two files without the prefix). Read to
 * find, before S3Mock starts, objects the bucket lists whose files are gone or cut short, and to
 * take them out of the listing.
 */
final class S3MockFolder {

    static final String BUCKET_FILE = "bucketMetadata.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3MockFolder() {
    }

    /** An object the bucket lists whose files are gone or damaged. */
    record Damage(String key, Path folder, String why) {}

    /** Why the bucket file of {@code bucket} cannot be read, naming it; empty when it can. */
    static Optional<String> unreadable(Path bucket) throws IOException {
        Path listing = bucket.resolve(BUCKET_FILE);
        JsonNode metadata = read(listing);
        return metadata == null || !metadata.path("objects").isObject()
                ? Optional.of("the bucket file " + listing + " is damaged (it is not S3Mock's JSON)") : Optional.empty();
    }

    /** The objects {@code bucket} lists (a readable bucket file) whose files are gone or cut short. */
    static List<Damage> damaged(Path bucket) throws IOException {
        List<Damage> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> object : read(bucket.resolve(BUCKET_FILE)).path("objects").properties()) {
            Path folder = bucket.resolve(object.getValue().asText());
            problemWith(bucket, object.getKey(), folder).ifPresent(why -> found.add(new Damage(object.getKey(), folder, why)));
        }
        return found;
    }

    /**
     * Takes {@code lost} out of the bucket's listing, so S3 answers that they do not exist (rather
     * than failing on them), and moves what is left of their files to {@code aside}.
     */
    static void drop(Path bucket, List<Damage> lost, Path aside) throws IOException {
        Path listing = bucket.resolve(BUCKET_FILE);
        ObjectNode metadata = (ObjectNode) read(listing);
        ObjectNode objects = (ObjectNode) metadata.path("objects");
        for (Damage damage : lost) {
            objects.remove(damage.key());
            if (Files.exists(damage.folder())) {
                Files.createDirectories(aside);
                Files.move(damage.folder(), aside.resolve(damage.folder().getFileName()));
            }
        }
        Path tmp = Files.createTempFile(bucket, "bucketMetadata", ".tmp");
        JSON.writeValue(tmp.toFile(), metadata);
        Files.move(tmp, listing, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<String> problemWith(Path bucket, String key, Path folder) throws IOException {
        String object = "the object " + key + " of bucket " + bucket.getFileName();
        if (!Files.isDirectory(folder)) {
            return Optional.of(object + " is missing: its folder " + folder + " is gone");
        }
        List<String> prefixes = new ArrayList<>();
        Path versionsFile = folder.resolve("versions.json");
        if (Files.exists(versionsFile)) {
            JsonNode versions = read(versionsFile);
            if (versions == null) {
                return Optional.of(object + " is damaged: " + versionsFile + " is not S3Mock's JSON");
            }
            versions.path("versions").forEach(v -> prefixes.add(v.asText() + "-"));
        } else {
            prefixes.add("");
        }
        for (String prefix : prefixes) {
            Path metadataFile = folder.resolve(prefix + "objectMetadata.json");
            JsonNode metadata = read(metadataFile);
            if (metadata == null) {
                return Optional.of(object + " is damaged: " + metadataFile + (Files.exists(metadataFile) ? " is not S3Mock's JSON" : " is gone"));
            }
            if (metadata.path("deleteMarker").asBoolean(false)) {
                continue;
            }
            Path data = folder.resolve(prefix + "binaryData");
            if (!Files.isRegularFile(data)) {
                return Optional.of(object + " is missing: its file " + data + " is gone");
            }
            long size = metadata.path("size").asLong(-1);
            if (size >= 0 && Files.size(data) != size) {
                return Optional.of(object + " is damaged: its file " + data + " is " + Files.size(data) + " bytes, not " + size);
            }
        }
        return Optional.empty();
    }

    /** The JSON in {@code file}; null when it is missing or not JSON. */
    private static JsonNode read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            return node == null || node.isMissingNode() ? null : node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return null;
        }
    }
}
