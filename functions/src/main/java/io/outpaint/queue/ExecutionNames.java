package io.outpaint.queue;

import io.outpaint.job.Job;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a job's executions: the job id for the first, then {@code <jobId>-r2},
 * {@code -r3}... Step Functions keeps a name for 90 days after its execution ended, so a job
 * resumed after its execution died needs a new one.
 */
public final class ExecutionNames {

    private static final int MAX_LENGTH = 80;

    private ExecutionNames() {}

    /** The name for the job's next execution, from the one it has recorded. */
    public static String next(Job job) {
        if (job.executionArn() == null) {
            return job.jobId();
        }
        String last = job.executionArn().substring(job.executionArn().lastIndexOf(':') + 1);
        Matcher resumed = Pattern.compile(".*-r(\\d+)").matcher(last);
        int attempt = resumed.matches() ? Integer.parseInt(resumed.group(1)) + 1 : 2;
        String suffix = "-r" + attempt;
        if (job.jobId().length() + suffix.length() <= MAX_LENGTH) {
            return job.jobId() + suffix;
        }
        // too long to add the suffix: a shortened id made unique again by a hash of the whole id
        String hash = "-" + io.outpaint.job.Hashes.sha256Hex(job.jobId()).substring(0, 12);
        return job.jobId().substring(0, MAX_LENGTH - suffix.length() - hash.length()) + hash + suffix;
    }
}
