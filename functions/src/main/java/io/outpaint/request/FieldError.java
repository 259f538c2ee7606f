package io.outpaint.request;

/** One problem with one input field: which field, the value given, and what is allowed. */
public record FieldError(String field, String value, String allowed) {

    public String message() {
        return value == null
                ? field + ": " + allowed
                : field + ": " + value + " is not allowed; allowed: " + allowed;
    }
}
