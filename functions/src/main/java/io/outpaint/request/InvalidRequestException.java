package io.outpaint.request;

import java.util.List;
import java.util.stream.Collectors;

/** A request with one or more bad fields; carries every one of them, not only the first. */
@io.outpaint.job.FailureCode("INVALID_REQUEST")
public final class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super("invalid request: " + errors.stream().map(FieldError::message).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
