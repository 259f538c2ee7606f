package io.outpaint.media.finish;

import io.outpaint.pipeline.Lazy;
import io.outpaint.store.JobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** The long clip's media steps as Lambda runs them: FFmpeg prepared on the first clip, folders of their own under /tmp. */
public final class MediaSteps {

    private MediaSteps() {}

    public static FinishSegment finishSegment(JobStore jobs, Supplier<S3Client> s3) {
        return new FinishSegment(jobs, s3, Lazy.of(() -> new SegmentFinisher(FfmpegPrograms.locate(), FinishLimits.LAMBDA, Finish.FFMPEG_DEADLINE)),
                probe(), tmp("outpaint-finish-segment"));
    }

    public static Join join(JobStore jobs, Supplier<S3Client> s3, Clock clock) {
        return new Join(jobs, s3, Lazy.of(() -> new SegmentJoiner(FfmpegPrograms.locate(), Finish.FFMPEG_DEADLINE)),
                probe(), tmp("outpaint-join"), clock);
    }

    private static Supplier<MediaProbe> probe() {
        return Lazy.of(() -> MediaProbe.using(FfmpegPrograms.locate(), Finish.FFMPEG_DEADLINE));
    }

    private static Path tmp(String name) {
        return Path.of(System.getProperty("java.io.tmpdir"), name);
    }
}
