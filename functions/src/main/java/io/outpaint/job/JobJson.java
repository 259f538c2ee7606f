package io.outpaint.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The data binding of job records (times as ISO-8601): the form of the stored document, the API's
 * answers and the notices. The store and the notices write that form through Jackson's tree
 * ({@link JobDocument}), so only the API, which binds other records with times, loads this mapper.
 */
public final class JobJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private JobJson() {}

    /** The shared mapper; configured once here, never changed by its users. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
