package io.outpaint.media;

import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Input videos in the bucket, checked before a byte of them is sent anywhere. */
public final class InputVideos {

    public static final String PREFIX = io.outpaint.request.ObjectKeys.PREFIX;
    /** Videos uploaded through {@code POST /uploads}: in the bucket for estimates and jobs, starting nothing by landing. */
    public static final String STAGED = PREFIX + "staged/";
    /** How long the bucket keeps an input video: its lifecycle rule on inputs/ (the stack's) expires it after this. */
    public static final int KEPT_DAYS = 30;
    public static final long MAX_BYTES = 5L * 1024 * 1024 * 1024;
    public static final Set<String> TYPES = VideoProbe.Container.mediaTypes();
    static final int PROBE_BLOCK = 64 * 1024;
    static final int PROBE_BLOCKS = 256;

    /**
     * What S3 says of an input video, with the content type its first bytes announce (not its name's, nor
     * the one it was uploaded with: an MP4 named {@code .webm} is an MP4).
     */
    public record Video(String bucket, String key, long size, String contentType, String etag, String versionId) {

        /** The key's last segment, its extension the container's: {@code clip.webm} holding an MP4 is sent on as {@code clip.mp4}. */
        public String fileName() {
            String name = key.substring(key.lastIndexOf('/') + 1);
            String extension = VideoProbe.Container.ofMediaType(contentType).map(c -> "." + c.extension()).orElse("");
            if (extension.isEmpty() || name.toLowerCase(Locale.ROOT).endsWith(extension)) {
                return name;
            }
            int dot = name.lastIndexOf('.');
            return (dot > 0 ? name.substring(0, dot) : name) + extension;
        }
    }

    private final Supplier<S3Client> s3;

    /** Over a client built when first needed (most functions never read an input). */
    public InputVideos(Supplier<S3Client> s3) {
        this.s3 = s3;
    }

    public InputVideos(S3Client s3) {
        this(() -> s3);
    }

    /** Whether an object is at {@code key} (a HeadObject; nothing else is checked). */
    public boolean exists(String bucket, String key) {
        return exists(bucket, key, null);
    }

    /**
     * Whether version {@code versionId} of the object at {@code key} is still there (the current one when null): the
     * version a job read, which a versioned bucket keeps after a delete and loses when its lifecycle expires it.
     */
    public boolean exists(String bucket, String key, String versionId) {
        try {
            s3.get().headObject(b -> b.bucket(bucket).key(key).versionId(versionId));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Checks the key's place, then the object's type and size. */
    public Video describe(String bucket, String key, String versionId) {
        checkKey(key);
        HeadObjectResponse head;
        try {
            head = s3.get().headObject(b -> b.bucket(bucket).key(key).versionId(versionId));
        } catch (NoSuchKeyException e) {
            throw new InvalidInputException(missing(bucket, key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new InvalidInputException(missing(bucket, key));
            }
            throw e;
        }
        if (head.contentLength() == null || head.contentLength() <= 0) {
            throw new InvalidInputException(key + " in bucket " + bucket + " is empty");
        }
        if (head.contentLength() > MAX_BYTES) {
            throw new InvalidInputException(key + " in bucket " + bucket + " is " + head.contentLength()
                    + " bytes; the limit is " + MAX_BYTES);
        }
        byte[] first = s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(head.versionId())
                .range("bytes=0-" + (VideoProbe.HEAD_BYTES - 1))).asByteArray();
        // the bytes say what it is; the name and the declared type do not (a text file named .mp4 is refused here)
        VideoProbe.Container container = VideoProbe.containerOf(first).orElseThrow(() -> new InvalidInputException(key + " in bucket "
                + bucket + " is not a video: its first bytes are neither an MP4 'ftyp' box nor a WebM header (MP4 or WebM expected"
                + declared(head.contentType()) + ")"));
        return new Video(bucket, key, head.contentLength(), container.mediaType(), head.eTag(), head.versionId());
    }

    /**
     * The video's container and frame size, read from its headers by ranged GETs of {@value #PROBE_BLOCK}-byte
     * blocks, each fetched once (a handful for most files, wherever the MP4 index sits); headers spread over more
     * than {@value #PROBE_BLOCKS} blocks are refused rather than read whole.
     */
    public VideoProbe.Video probe(Video video) {
        return VideoProbe.probe(headers(video), video.size(), video.key());
    }

    /** The MP4's frame count from its index, read as {@link #probe} reads (ranged GETs); empty for a WebM. */
    public java.util.OptionalInt frames(Video video) {
        return VideoProbe.frames(headers(video), video.size(), video.key());
    }

    /** Positioned reads of the video's headers: each block fetched once, at most {@value #PROBE_BLOCKS} of them. */
    private VideoProbe.Reader headers(Video video) {
        java.util.Map<Long, byte[]> blocks = new java.util.HashMap<>();
        return (dst, position) -> {
            int read = 0;
            for (long at = position; dst.hasRemaining() && at < video.size(); ) {
                long index = at / PROBE_BLOCK;
                if (!blocks.containsKey(index) && blocks.size() >= PROBE_BLOCKS) {
                    throw new InvalidInputException(video.key() + " in bucket " + video.bucket() + ": its headers span more than "
                            + PROBE_BLOCKS * PROBE_BLOCK + " bytes");
                }
                byte[] block = blocks.computeIfAbsent(index, i -> s3.get().getObjectAsBytes(b -> b.bucket(video.bucket()).key(video.key())
                        .versionId(video.versionId()).ifMatch(video.etag())
                        .range("bytes=" + i * PROBE_BLOCK + "-" + (Math.min(video.size(), (i + 1) * PROBE_BLOCK) - 1))).asByteArray());
                int offset = (int) (at - index * PROBE_BLOCK);
                int count = Math.min(dst.remaining(), block.length - offset);
                if (count <= 0) {
                    break;
                }
                dst.put(block, offset, count);
                at += count;
                read += count;
            }
            return read == 0 && dst.hasRemaining() ? -1 : read;
        };
    }

    /** The video's bytes; the caller closes the stream. */
    public InputStream open(Video video) {
        return s3.get().getObject(b -> b.bucket(video.bucket()).key(video.key()).versionId(video.versionId())
                .ifMatch(video.etag()));
    }

    /**
     * Input keys follow the one rule of {@link io.outpaint.request.ObjectKeys}, as the API and the trigger check them;
     * a key it refuses is a bad request (INVALID_REQUEST, as the API's 400), not a bad video.
     */
    public static void checkKey(String key) {
        if (io.outpaint.segments.Segments.isInputKey(key)) {
            return; // a segment of a long clip: the Split step's cut, under work/
        }
        io.outpaint.request.ObjectKeys.inputKey("key", key).ifPresent(e -> {
            throw new io.outpaint.request.InvalidRequestException(java.util.List.of(e));
        });
    }

    /** The type an object was uploaded with, as an error names it beside what its bytes are. */
    private static String declared(String type) {
        String plain = type == null ? "" : type.split(";")[0].trim();
        return plain.isEmpty() ? "" : "; it was uploaded as " + io.outpaint.request.ObjectKeys.printable(plain);
    }

    private static String missing(String bucket, String key) {
        return "no object " + key + " in bucket " + bucket;
    }
}
