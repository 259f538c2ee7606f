package io.outpaint.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one mapper of Jackson's defaults, for JSON this code writes or gets from a trusted side
 * (events, Scenario's answers, secrets, page tokens). Untrusted bodies go through
 * {@code StrictJson}; stored job records through {@code JobDocument}, the API's records with
 * times through {@code JobJson}. Configured once, shared: a mapper is
 * safe to use from many threads once built.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
