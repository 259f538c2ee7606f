package io.outpaint.request;

/** One problem with one input field: which field, the value given, and what is allowed. */
public record FieldError(String field, String value, String allowed) {

    /** A field whose value is well-formed but names something unusable: the message says what is wrong, plainly. */
    public static FieldError problem(String field, String problem) {
        return new FieldError(field, null, problem);
    }

    public String message() {
        return value == null
                ? field + ": " + allowed
                : field + ": " + value + " is not allowed; allowed: " + allowed;
    }
}
