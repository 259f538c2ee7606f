package io.outpaint.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The calls the simulator answers, each with its method and path: for routing, and for counting them in tests. */
public enum Route {
    CREATE_UPLOAD("POST", "/v1/uploads"),
    COMPLETE_UPLOAD("POST", "/v1/uploads/([\\w-]+)/action"),
    GET_UPLOAD("GET", "/v1/uploads/([\\w-]+)"),
    GENERATE("POST", "/v1/generate/custom/([\\w.-]+)"),
    LIST_JOBS("GET", "/v1/jobs"),
    JOB_ACTION("POST", "/v1/jobs/([\\w-]+)/action"),
    GET_JOB("GET", "/v1/jobs/([\\w-]+)"),
    GET_ASSET("GET", "/v1/assets/([\\w-]+)"),
    PUT_PART("PUT", "/_parts/([\\w-]+)/(\\d+)"),
    DOWNLOAD("GET", "/_cdn/([\\w-]+)/([\\w.-]+)");

    /** A request matched to its route, with the ids its path holds. */
    record Match(Route route, Matcher path) {
        String id() {
            return path.group(1);
        }
    }

    private final String method;
    private final Pattern path;

    Route(String method, String path) {
        this.method = method;
        this.path = Pattern.compile(path);
    }

    static Optional<Match> match(String method, String path) {
        return Arrays.stream(values()).filter(r -> r.method.equals(method))
                .map(r -> new Match(r, r.path.matcher(path))).filter(m -> m.path().matches()).findFirst();
    }
}
