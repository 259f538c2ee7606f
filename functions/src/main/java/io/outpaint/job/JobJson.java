package io.outpaint.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** How job records are written as JSON, wherever they are: stored, answered by the API, sent in notices (times as ISO-8601). */
public final class JobJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private JobJson() {}

    /** The shared mapper; configured once here, never changed by its users. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
