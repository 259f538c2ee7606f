package io.outpaint.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * Typed reads of a JSON tree's fields, for the codecs that read records through Jackson's tree
 * rather than its data binding (a step's state, a stored job). A JSON null reads as an absent
 * field; a field of another type is refused with an error that names the field's path and what
 * it must be, prefixed with what is being read.
 */
public final class TreeFields {

    private final String subject;

    /** {@code subject} starts every error, before " field 'path' must be ...": "step state", "a job record's". */
    public TreeFields(String subject) {
        this.subject = subject;
    }

    /** The field's node, or null when it is absent or JSON null. */
    public static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** {@code node} when it is an object; {@code at} is its path. */
    public JsonNode object(JsonNode node, String at) {
        if (!node.isObject()) {
            throw wrong(at, "an object", node);
        }
        return node;
    }

    public String text(JsonNode node, String name, String at) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrong(at + name, "a string", value);
        }
        return value.textValue();
    }

    /** A number without a fraction that a long holds (5.0 is 5). */
    public Long whole(JsonNode node, String name, String at) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw wrong(at + name, "a whole number", value);
        }
        return value.longValue();
    }

    /** A whole number that an int holds. */
    public Integer integer(JsonNode node, String name, String at) {
        Long value = whole(node, name, at);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw wrong(at + name, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, node.get(name));
        }
        return value == null ? null : value.intValue();
    }

    public Double number(JsonNode node, String name, String at) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrong(at + name, "a number", value);
        }
        return value.doubleValue();
    }

    /** One of {@code type}'s constants, by its name. */
    public <E extends Enum<E>> E named(JsonNode node, String name, String at, Class<E> type) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        E[] allowed = type.getEnumConstants();
        if (value.isTextual()) {
            for (E candidate : allowed) {
                if (candidate.name().equals(value.textValue())) {
                    return candidate;
                }
            }
        }
        throw wrong(at + name, "one of " + Arrays.toString(allowed), value);
    }

    /** The error for {@code field}, which must be {@code must} and is {@code got} (null: nothing). */
    public IllegalArgumentException wrong(String field, String must, JsonNode got) {
        return new IllegalArgumentException(subject + " field '" + field + "' must be " + must + "; got " + shown(got));
    }

    /** {@code got} as JSON, cut at 80 characters. */
    public static String shown(JsonNode got) {
        String shown = got == null ? "nothing" : got.toString();
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
