package io.outpaint.request;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one validator of input object keys and upload file names, used by the API (before a URL is
 * presigned) and by the S3 trigger alike. A key is {@code inputs/} and one or more segments, none
 * empty and none starting with a dot; a file name is letters, digits, '_', '-' and '.', a name
 * before its {@code .mp4} or {@code .webm}.
 */
public final class ObjectKeys {

    public static final String PREFIX = "inputs/";
    /** Where a job's results go: {@code outputs/<jobId>/<assetId>.mp4}. */
    public static final String OUTPUTS_PREFIX = "outputs/";
    /** How long the bucket keeps a result (a segment's raw generation too): its lifecycle rule on outputs/ (the stack's). */
    public static final int OUTPUTS_KEPT_DAYS = 90;
    public static final int MAX_KEY_BYTES = 1024;
    public static final String KEY_RULE = "an object key under " + PREFIX + " of at most " + MAX_KEY_BYTES
            + " bytes: segments separated by single '/', none empty, none starting with '.', no control characters or '\\'";
    public static final String FILE_NAME_RULE = "a file name of at most 200 letters, digits, '_', '-' or '.', "
            + "starting with a letter, digit or '_', with a name before .mp4 or .webm, and no '..'";

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,195}\\.("
            + io.outpaint.media.VideoProbe.Container.extensionPattern() + ")");

    private ObjectKeys() {}

    /** The problem with an input key, if any. */
    public static Optional<FieldError> inputKey(String field, String key) {
        if (key == null) {
            return Optional.of(new FieldError(field, null, "required: " + KEY_RULE));
        }
        boolean ok = key.startsWith(PREFIX) && key.length() > PREFIX.length()
                && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES && TextRules.isClean(key)
                && key.chars().noneMatch(c -> c == '\\' || c == '\t' || c == '\n');
        if (ok) {
            for (String segment : key.substring(PREFIX.length()).split("/", -1)) {
                ok &= !segment.isEmpty() && !segment.startsWith(".");
            }
        }
        return ok ? Optional.empty() : Optional.of(new FieldError(field, shown(key), KEY_RULE));
    }

    /** The problem with an upload's file name, if any. */
    public static Optional<FieldError> fileName(String field, String name) {
        if (name != null && FILE_NAME.matcher(name).matches() && !name.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(new FieldError(field, name == null ? null : shown(name), FILE_NAME_RULE));
    }

    /** A value as an error may show it: short, and with control characters escaped. */
    public static String shown(String value) {
        return "\"" + printable(value.length() > 60 ? value.substring(0, 60) + "..." : value) + "\"";
    }

    /** A value as a log line or an error may hold it whole: control characters and lone surrogates escaped as {@code \\uXXXX}. */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.chars().forEach(c -> out.append(Character.isISOControl(c) || Character.isSurrogate((char) c)
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
