package io.outpaint.job;

/** The form of a job id, the same as an execution name's: the API, the trigger, the steps and the store check it. */
public final class JobIds {

    public static final String PATTERN = "[A-Za-z0-9_-]{1,80}";
    /** Jobs created through the HTTP API; the trigger knows an API job's presigned upload by it. */
    public static final String API_PREFIX = "api-";

    private JobIds() {}
}
