package io.outpaint.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.media.InputVideos;
import io.outpaint.request.FieldError;
import io.outpaint.request.InvalidRequestException;
import io.outpaint.request.ObjectKeys;
import io.outpaint.request.OutpaintRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The body of {@code POST /jobs} (or {@code /estimate}), checked at every level: unknown fields
 * anywhere are refused ({@code video.bucket} included), and every bad field is named at once.
 */
record CreateRequest(OutpaintRequest request, Optional<String> videoKey, Optional<Upload> upload, Optional<String> webhookUrl,
                     java.util.OptionalInt maxCreativeUnits, Optional<String> videoName, Optional<VideoShape> videoShape) {

    /**
     * What an estimate needs of a video the client probed itself, instead of its key: the frame size (for a
     * target), the length (for the limit and the segments) and the frame count (for matchInputNumFrames; 0 when
     * the headers do not say). The video itself is never sent.
     */
    record VideoShape(int width, int height, double durationSeconds, double framesPerSecond, long frames) {
        static final String RULE = "an object {width, height, durationSeconds, framesPerSecond, frames}: width and height whole numbers"
                + " from 1 to 16384, durationSeconds above 0 and at most 86400, framesPerSecond from 0 to 1000 and frames a whole number"
                + " from 0 (0 for either when the video's headers do not state it)";

        io.outpaint.media.VideoProbe.Video probed() {
            return new io.outpaint.media.VideoProbe.Video(null, width, height, durationSeconds, framesPerSecond, frames);
        }
    }

    /** What {@code video.name} may be: the file's name as people know it, shown beside the job's id. */
    static final String NAME_RULE = "a file name of 1 to 200 characters, on one line: no control characters, well-formed Unicode";

    /** A video the client will upload to a presigned URL. */
    record Upload(String fileName, String contentType) {}

    /**
     * @param uploadAllowed whether {@code video.upload} (and {@code notify}) may be given: not for an estimate
     * @param webhookProblem what is wrong with a webhook URL, if anything
     */
    static CreateRequest parse(JsonNode body, boolean uploadAllowed, Function<String, Optional<String>> webhookProblem) {
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "INVALID_JSON", "the body must be a JSON object: {\"video\": {...}, \"request\": {...}}");
        }
        List<FieldError> errors = new ArrayList<>();
        unknown(body, "", uploadAllowed ? Set.of("video", "request", "notify", "maxCreativeUnits") : Set.of("video", "request"), errors);
        OutpaintRequest request = null;
        try {
            request = OutpaintRequest.fromJson(body.get("request"));
        } catch (InvalidRequestException e) {
            e.errors().forEach(f -> errors.add(new FieldError("request." + f.field(), f.value(), f.allowed())));
        }
        Optional<String> key = Optional.empty();
        Optional<Upload> upload = Optional.empty();
        JsonNode video = body.path("video");
        Set<String> videoFields = uploadAllowed ? Set.of("key", "upload", "name") : Set.of("key", "shape");
        Optional<String> name = Optional.empty();
        Optional<VideoShape> shape = Optional.empty();
        boolean oneSource = uploadAllowed ? video.has("key") != video.has("upload") : video.has("key") != video.has("shape");
        if (!video.isObject() || !oneSource) {
            errors.add(new FieldError("video", null, uploadAllowed
                    ? "an object with either key (an object under " + InputVideos.PREFIX + ") or upload ({\"fileName\", \"contentType\"})"
                    : "an object with either key (an object under " + InputVideos.PREFIX + ") or shape (" + VideoShape.RULE + ")"));
        } else if (video.has("shape")) {
            unknown(video, "video.", videoFields, errors);
            shape = shape(video.get("shape"), errors);
        } else {
            unknown(video, "video.", videoFields, errors);
            if (video.has("key")) {
                String given = video.get("key").isTextual() ? video.get("key").asText() : null;
                ObjectKeys.inputKey("video.key", given).ifPresent(errors::add);
                key = Optional.ofNullable(given);
            } else {
                upload = upload(video.get("upload"), "video.upload", errors);
            }
            name = name(video.get("name"), errors);
        }
        Optional<String> webhook = webhook(body.path("notify"), webhookProblem, errors);
        java.util.OptionalInt max = java.util.OptionalInt.empty();
        JsonNode cap = body.path("maxCreativeUnits");
        if (!cap.isMissingNode() && !cap.isNull()) {
            if (cap.isIntegralNumber() && cap.canConvertToInt() && cap.asInt() >= 1) {
                max = java.util.OptionalInt.of(cap.asInt());
            } else {
                errors.add(new FieldError("maxCreativeUnits", cap.toString(), "a whole number of creative units from 1"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiError(400, "INVALID_REQUEST", new InvalidRequestException(errors).getMessage(), errors);
        }
        return new CreateRequest(request, key, upload, webhook, max, name, shape);
    }

    /** {@code video.shape}: every field there, each in its range, and no other. */
    private static Optional<VideoShape> shape(JsonNode shape, List<FieldError> errors) {
        Set<String> fields = Set.of("width", "height", "durationSeconds", "framesPerSecond", "frames");
        if (!shape.isObject() || !shape.path("width").canConvertToInt() || !shape.path("width").isIntegralNumber()
                || !shape.path("height").isIntegralNumber() || !shape.path("height").canConvertToInt()
                || !shape.path("durationSeconds").isNumber() || !shape.path("framesPerSecond").isNumber()
                || !shape.path("frames").isIntegralNumber() || !shape.path("frames").canConvertToLong()) {
            errors.add(new FieldError("video.shape", null, VideoShape.RULE));
            return Optional.empty();
        }
        int before = errors.size();
        unknown(shape, "video.shape.", fields, errors);
        VideoShape given = new VideoShape(shape.get("width").asInt(), shape.get("height").asInt(), shape.get("durationSeconds").asDouble(),
                shape.get("framesPerSecond").asDouble(), shape.get("frames").asLong());
        boolean ok = given.width() >= 1 && given.width() <= 16384 && given.height() >= 1 && given.height() <= 16384
                && given.durationSeconds() > 0 && given.durationSeconds() <= 86400 && given.framesPerSecond() >= 0
                && given.framesPerSecond() <= 1000 && given.frames() >= 0;
        if (!ok) {
            errors.add(new FieldError("video.shape", shape.toString().length() > 200 ? null : shape.toString(), VideoShape.RULE));
        }
        return errors.size() == before ? Optional.of(given) : Optional.empty();
    }

    /** {@code video.name}, if given: any file name people use (spaces, accents, brackets), on one line. */
    private static Optional<String> name(JsonNode name, List<FieldError> errors) {
        if (name == null || name.isNull()) {
            return Optional.empty();
        }
        String text = name.isTextual() ? name.asText() : null;
        if (text == null || text.isBlank() || text.codePointCount(0, text.length()) > 200 || !io.outpaint.request.TextRules.isClean(text)
                || text.chars().anyMatch(c -> c == '\t' || c == '\n')) {
            errors.add(new FieldError("video.name", text == null ? name.toString() : ObjectKeys.shown(text), NAME_RULE));
            return Optional.empty();
        }
        return Optional.of(text.strip());
    }

    /** The body of {@code POST /uploads}: {@code {"fileName", "contentType"}}, checked as a job's upload is. */
    static Upload staged(JsonNode body) {
        List<FieldError> errors = new java.util.ArrayList<>();
        Optional<Upload> upload = upload(body, "", errors);
        if (!errors.isEmpty()) { // every error counts, unknown fields included, as in parse
            throw new ApiError(400, "INVALID_REQUEST", new InvalidRequestException(errors).getMessage(), errors);
        }
        return upload.get();
    }

    private static Optional<Upload> upload(JsonNode upload, String field, List<FieldError> errors) {
        String prefix = field.isEmpty() ? "" : field + ".";
        if (!upload.isObject()) {
            errors.add(new FieldError(field.isEmpty() ? "body" : field, null, "an object: {\"fileName\", \"contentType\"}"));
            return Optional.empty();
        }
        int before = errors.size();
        unknown(upload, prefix, Set.of("fileName", "contentType"), errors);
        String fileName = upload.path("fileName").isTextual() ? upload.get("fileName").asText() : null;
        String contentType = upload.path("contentType").isTextual() ? upload.get("contentType").asText() : null;
        ObjectKeys.fileName(prefix + "fileName", fileName).ifPresent(errors::add);
        if (contentType == null || !InputVideos.TYPES.contains(contentType)) {
            errors.add(new FieldError(prefix + "contentType", contentType == null ? null : "\"" + contentType + "\"",
                    "one of " + String.join(", ", new TreeSet<>(InputVideos.TYPES))));
        }
        return errors.size() == before ? Optional.of(new Upload(fileName, contentType)) : Optional.empty();
    }

    private static Optional<String> webhook(JsonNode notify, Function<String, Optional<String>> problem, List<FieldError> errors) {
        if (notify.isMissingNode() || notify.isNull()) {
            return Optional.empty();
        }
        if (!notify.isObject() || !notify.path("webhookUrl").isTextual()) {
            errors.add(new FieldError("notify", null, "an object with one field, webhookUrl"));
            return Optional.empty();
        }
        unknown(notify, "notify.", Set.of("webhookUrl"), errors);
        String url = notify.get("webhookUrl").asText();
        Optional<String> wrong = problem.apply(url);
        wrong.ifPresent(w -> errors.add(new FieldError("notify.webhookUrl", null, w)));
        return wrong.isPresent() ? Optional.empty() : Optional.of(url);
    }

    private static void unknown(JsonNode node, String prefix, Set<String> known, List<FieldError> errors) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                String shown = name.length() <= 60 && io.outpaint.request.TextRules.isClean(name) ? name : "(a field name)";
                errors.add(new FieldError(prefix + shown, null, "unknown field; the fields " + (prefix.isEmpty() ? "of the body"
                        : "of " + prefix.substring(0, prefix.length() - 1)) + " are " + String.join(", ", new TreeSet<>(known))));
            }
        });
    }
}
