package io.outpaint.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads typed fields out of untrusted JSON, applying defaults and ranges, and collects every
 * problem instead of stopping at the first. With {@code fromText}, values may also come as strings
 * (as S3 object metadata and command-line flags do): {@code "true"}, {@code "81"}.
 */
final class FieldReader {

    private static final int MAX_SHOWN = 60;
    private static final int MAX_NUMBER_CHARS = 40;

    private final JsonNode node;
    private final boolean fromText;
    private final List<FieldError> errors = new ArrayList<>();

    FieldReader(JsonNode node, boolean fromText) {
        this.node = node;
        this.fromText = fromText;
    }

    List<FieldError> errors() {
        return errors;
    }

    boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    List<FieldError> rejectUnknown(Set<String> known, String hint) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                boolean plain = name.length() <= MAX_SHOWN && TextRules.isClean(name);
                errors.add(new FieldError(plain ? name : ObjectKeys.shown(name), null, "unknown field; " + hint));
            }
        }
        return errors;
    }

    void reject(String field, String rule) {
        errors.add(new FieldError(field, null, rule));
    }

    String text(String name, boolean required, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(name, null, "required, a non-empty string"));
            }
            return null;
        }
        if (!value.isTextual() || (required && !TextRules.hasVisible(value.asText())) || value.asText().length() > maxLength
                || !TextRules.isClean(value.asText())) {
            fail(name, value, (required ? "a non-empty string (a visible character at least, not only spaces or invisible ones"
                    + " such as a byte-order mark or a zero-width space)" : "a string") + " of at most " + maxLength + " characters, " + TextRules.ALLOWED);
            return null;
        }
        return value.asText();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (fromText && value.isTextual() && Set.of("true", "false").contains(value.asText().trim().toLowerCase())) {
            return Boolean.parseBoolean(value.asText().trim());
        }
        fail(name, value, "true or false");
        return fallback;
    }

    Long integer(String name, Long fallback, long min, long max) {
        BigDecimal number = number(name, "an integer from " + min + " to " + max);
        if (number == null) {
            return fallback;
        }
        if (number.stripTrailingZeros().scale() > 0 || number.compareTo(BigDecimal.valueOf(min)) < 0
                || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            fail(name, node.get(name), "an integer from " + min + " to " + max);
            return fallback;
        }
        return number.longValueExact();
    }

    double decimal(String name, double fallback, double min, double max) {
        BigDecimal number = number(name, "a number from " + strip(min) + " to " + strip(max));
        if (number == null) {
            return fallback;
        }
        // compared exactly, before any conversion: 1e999 is out of range, not infinity
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            fail(name, node.get(name), "a number from " + strip(min) + " to " + strip(max));
            return fallback;
        }
        return number.doubleValue();
    }

    <E extends Enum<E> & Choices.Wire> E choice(String name, Class<E> type, E fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (value.isTextual() && constant.wire().equals(value.asText())) {
                return constant;
            }
        }
        fail(name, value, "one of " + Arrays.stream(type.getEnumConstants()).map(Choices.Wire::wire)
                .collect(Collectors.joining(", ")));
        return fallback;
    }

    /** {@code {"aspectRatio": "W:H", "anchor": "center"}}; each bad part named by its path ({@code target.anchor}). */
    java.util.Optional<Target> target(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return java.util.Optional.empty();
        }
        if (!value.isObject()) {
            fail(name, value, "an object: {\"aspectRatio\": \"9:16\", \"anchor\": \"center\"} (anchor optional)");
            return java.util.Optional.empty();
        }
        int before = errors.size();
        new FieldReader(value, fromText).rejectUnknown(Set.of("aspectRatio", "anchor"), "the fields of " + name
                + " are aspectRatio, anchor").forEach(e -> errors.add(new FieldError(name + "." + e.field(), e.value(), e.allowed())));
        JsonNode ratio = value.get("aspectRatio");
        JsonNode anchor = value.get("anchor");
        Target.Anchor placed = Target.Anchor.CENTER;
        if (anchor != null && !anchor.isNull()) {
            placed = anchor.isTextual() ? Target.Anchor.of(anchor.asText().trim()).orElse(null) : null;
            if (placed == null) {
                fail(name + ".anchor", anchor, "one of " + Target.Anchor.allowed() + " (default center)");
            }
        }
        if (ratio == null || ratio.isNull()) {
            errors.add(new FieldError(name + ".aspectRatio", null, "required: " + Target.RATIO_RULE));
            return java.util.Optional.empty();
        }
        // the ratio is checked even when the anchor was refused, so both are named at once
        java.util.Optional<Target> target = ratio.isTextual()
                ? Target.parse(ratio.asText(), placed == null ? Target.Anchor.CENTER : placed) : java.util.Optional.empty();
        if (target.isEmpty()) {
            fail(name + ".aspectRatio", ratio, Target.RATIO_RULE);
        }
        return errors.size() == before ? target : java.util.Optional.empty();
    }

    List<String> assetIds(String name, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        if (value.isArray() && value.size() <= max) {
            for (JsonNode item : value) {
                if (item.isTextual() && io.outpaint.scenario.ScenarioIds.isAssetId(item.asText())) {
                    ids.add(item.asText());
                }
            }
            if (ids.size() == value.size()) {
                return List.copyOf(ids);
            }
        }
        fail(name, value, "a list of at most " + max + " Scenario asset ids (asset_...)");
        return null;
    }

    /** The number {@code name} holds; anything else is refused as not {@code allowed} (the field's own range). */
    private BigDecimal number(String name, String allowed) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber() && (!value.isFloatingPointNumber() || value.isBigDecimal()
                || Double.isFinite(value.doubleValue()))) {
            return value.decimalValue();
        }
        if (fromText && value.isTextual() && value.asText().trim().length() <= MAX_NUMBER_CHARS) {
            try {
                return new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        // a NaN or an infinity that another reader let through is a number, but not a finite one
        String range = value.isNumber() ? allowed.replaceFirst("^an? (integer|number)", "a finite $1") : allowed;
        fail(name, value, range + (fromText ? ", in at most " + MAX_NUMBER_CHARS + " characters" : ""));
        return null;
    }

    private void fail(String name, JsonNode value, String allowed) {
        String shown = value.isTextual() ? ObjectKeys.shown(value.asText()) : value.toString();
        errors.add(new FieldError(name, shown.length() > MAX_SHOWN ? shown.substring(0, MAX_SHOWN) + "..." : shown, allowed));
    }

    private static String strip(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
