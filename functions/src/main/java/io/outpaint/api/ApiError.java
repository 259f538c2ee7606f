package io.outpaint.api;

import io.outpaint.request.FieldError;
import java.util.List;

/** An answer other than success: the HTTP status and the {@code {"error": {code, message, fields}}} body. */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldError> fields;

    public ApiError(int status, String code, String message, List<FieldError> fields) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.fields = List.copyOf(fields);
    }

    public ApiError(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static ApiError badField(String field, String value, String allowed) {
        return new ApiError(400, "INVALID_REQUEST", field + ": " + allowed, List.of(new FieldError(field, value, allowed)));
    }

    public int status() { return status; }
    public String code() { return code; }
    public List<FieldError> fields() { return fields; }
}
