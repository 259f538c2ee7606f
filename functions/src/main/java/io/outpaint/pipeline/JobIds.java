package io.outpaint.pipeline;

/** The form of a job id, the same as an execution name's: the API, the trigger and the steps check it. */
public final class JobIds {

    public static final String PATTERN = "[A-Za-z0-9_-]{1,80}";

    private JobIds() {}
}
