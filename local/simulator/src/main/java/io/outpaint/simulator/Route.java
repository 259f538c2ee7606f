package io.outpaint.simulator;

/** The calls the simulator answers, for counting them in tests and benchmarks. */
public enum Route {
    CREATE_UPLOAD, PUT_PART, COMPLETE_UPLOAD, GET_UPLOAD, GENERATE, GET_JOB, LIST_JOBS, JOB_ACTION,
    GET_ASSET, DOWNLOAD
}
