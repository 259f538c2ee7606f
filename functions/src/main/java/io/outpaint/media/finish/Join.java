package io.outpaint.media.finish;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.Step;
import io.outpaint.pipeline.StepOutcome;
import io.outpaint.pipeline.StepState;
import io.outpaint.request.ObjectKeys;
import io.outpaint.segments.Segments;
import io.outpaint.store.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The parent's last step, after the Map finished each segment ({@link FinishSegment}): fetches the pieces and the
 * source, joins them ({@link SegmentJoiner}: the overlaps cross-faded, the rest copied, the source's whole audio
 * laid back) and ends the parent SUCCEEDED with the finished video and its poster under {@code outputs/<parent>/},
 * as a short clip's Finish does. The segments' raw generations stay in their own jobs' outputs.
 */
public final class Join implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(Join.class);

    private final JobStore jobs;
    private final Supplier<S3Client> s3;
    private final Supplier<SegmentJoiner> joiner;
    private final Supplier<MediaProbe> probe;
    private final Path work;
    private final Clock clock;

    public Join(JobStore jobs, Supplier<S3Client> s3, Supplier<SegmentJoiner> joiner, Supplier<MediaProbe> probe, Path work, Clock clock) {
        this.jobs = jobs;
        this.s3 = s3;
        this.joiner = joiner;
        this.probe = probe;
        this.work = work;
        this.clock = clock;
    }

    @Override
    public StepState run(StepState state) {
        Job parent = jobs.get(state.jobId());
        if (parent.status().isTerminal()) {
            return state.ended(StepOutcome.valueOf(parent.status().name()), null);
        }
        if (parent.status() != JobStatus.JOINING) {
            throw new IllegalStateException("job " + parent.jobId() + " is " + parent.status() + ", not JOINING: its last segment moves it there");
        }
        Path dir = work.resolve(parent.jobId());
        try {
            Finish.deleteQuietly(dir);
            Files.createDirectories(dir);
            String bucket = parent.source().bucket();
            Path source = fetch(s3.get(), parent.source(), dir.resolve("source" + extension(parent.source().key())));
            List<SegmentPieces> pieces = new ArrayList<>();
            List<Segments.Item> items = Segments.items(parent);
            for (int i = 0; i < Segments.count(parent); i++) {
                SegmentCut cut = FinishSegment.cutOf(parent, i);
                Path folder = Files.createDirectories(dir.resolve(String.format("%03d", i + 1)));
                for (Map.Entry<String, Long> piece : FinishSegment.pieces(cut).entrySet()) {
                    String key = Segments.pieceKey(parent.jobId(), items, i, piece.getKey(), "");
                    s3.get().getObject(b -> b.bucket(bucket).key(key), folder.resolve(piece.getKey()));
                }
                pieces.add(SegmentPieces.in(folder, cut));
            }
            MediaInfo in = probe.get().probe(source);
            long started = System.nanoTime();
            Finished joined = joiner.get().join(source, pieces, Finish.spec(parent, in), dir.resolve("out"));
            LOG.info("joined {} segments: {}x{} at {} fps, {} frames, audio {} in {} ms", pieces.size(), joined.width(), joined.height(),
                    joined.fps(), joined.frames(), joined.audioCodec(), (System.nanoTime() - started) / 1_000_000);
            return recorded(state, parent, bucket, joined);
        } catch (FinishRefusedException e) {
            return state.ended(StepOutcome.FAILED, new StepState.Failure("FINISH_REFUSED", "joining refused, limit " + e.limit() + ": "
                    + e.getMessage(), "each segment's raw generation is kept in its own job's outputs"));
        } catch (FinishFailedException e) {
            return state.ended(StepOutcome.FAILED, new StepState.Failure("FINISH_FAILED", e.getMessage(),
                    "each segment's raw generation is kept in its own job's outputs"));
        } catch (IOException e) {
            throw new UncheckedIOException("joining " + parent.jobId(), e);
        } finally {
            Finish.deleteQuietly(dir);
        }
    }

    private StepState recorded(StepState state, Job parent, String bucket, Finished f) throws IOException {
        String videoKey = ObjectKeys.OUTPUTS_PREFIX + parent.jobId() + "/" + Finish.VIDEO;
        String posterKey = ObjectKeys.OUTPUTS_PREFIX + parent.jobId() + "/" + Finish.POSTER;
        s3.get().putObject(b -> b.bucket(bucket).key(videoKey).contentType("video/mp4"), RequestBody.fromFile(f.video()));
        s3.get().putObject(b -> b.bucket(bucket).key(posterKey).contentType("image/jpeg"), RequestBody.fromFile(f.poster()));
        Job.Output video = new Job.Output(null, bucket, videoKey, f.bytes(), f.sha256(), "video/mp4", f.width(), f.height(),
                f.durationSeconds());
        Job.Output poster = new Job.Output(null, bucket, posterKey, Files.size(f.poster()), Finisher.sha256(f.poster()), "image/jpeg",
                Finisher.posterWidth(f.width()), Finisher.posterHeight(f.width(), f.height()), null);
        var section = FinishRecord.of(f, videoKey, null, posterKey);
        Instant now = clock.instant();
        boolean[] endsNow = {false};
        Job written = jobs.update(parent, j -> {
            if (j.status().isTerminal()) {
                return j;
            }
            endsNow[0] = true;
            return j.withOutputs(List.of(video, poster), now).withFinish(section, now)
                    .moveTo(JobStatus.SUCCEEDED, now, "joined " + Segments.count(j) + " segments, " + f.width() + "x" + f.height());
        });
        StepState done = state.ended(StepOutcome.valueOf(written.status().name()), null);
        return endsNow[0] ? done.endedNow(JobStatus.SUCCEEDED) : done;
    }

    /** The job's input, fetched to {@code file}. */
    static Path fetch(S3Client s3, Job.Source source, Path file) {
        s3.getObject(b -> b.bucket(source.bucket()).key(source.key()).versionId(source.versionId()), file);
        return file;
    }

    static String extension(String key) {
        int dot = key.lastIndexOf('.');
        return dot > key.lastIndexOf('/') && key.length() - dot <= 6 ? key.substring(dot) : ".video";
    }
}
