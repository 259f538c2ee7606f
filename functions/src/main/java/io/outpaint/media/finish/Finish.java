package io.outpaint.media.finish;

import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.CopyResults;
import io.outpaint.pipeline.Lazy;
import io.outpaint.pipeline.Step;
import io.outpaint.pipeline.StepOutcome;
import io.outpaint.pipeline.StepState;
import io.outpaint.request.FramingJson;
import io.outpaint.request.ObjectKeys;
import io.outpaint.request.OutpaintRequest;
import io.outpaint.store.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The state machine's step after the copy, for jobs that are FINISHING: fetches the input and the
 * raw generation into a folder of the job's own under /tmp, finishes them ({@link Finisher}), puts
 * the finished video and its poster beside the raw one and ends the job SUCCEEDED with the three
 * outputs (the finished one first, as clients download the first) and the {@code finish} section.
 * A clip beyond {@link FinishLimits} or one FFmpeg cannot finish ends the step FAILED with
 * FINISH_REFUSED (naming the limit) or FINISH_FAILED, for RecordFailure. Safe to run again: a
 * retry writes the same keys, and the record is written once, with the end.
 */
public final class Finish implements Step {

    /** The finished video's and the poster's names beside {@link CopyResults#RAW}. */
    public static final String VIDEO = "outpaint.mp4";
    public static final String POSTER = "poster.jpg";
    /** FFmpeg's deadline: the function's 15 minutes less the copies in and out. */
    public static final java.time.Duration FFMPEG_DEADLINE = java.time.Duration.ofMinutes(12);

    private static final Logger LOG = LoggerFactory.getLogger(Finish.class);

    private final JobStore jobs;
    private final Supplier<S3Client> s3;
    private final Supplier<Finisher> finisher;
    private final FinishLimits limits;
    private final Path work;
    private final Clock clock;

    public Finish(JobStore jobs, Supplier<S3Client> s3, Supplier<Finisher> finisher, FinishLimits limits, Path work, Clock clock) {
        this.jobs = jobs;
        this.s3 = s3;
        this.finisher = finisher;
        this.limits = limits;
        this.work = work;
        this.clock = clock;
    }

    /** As Lambda runs it: FFmpeg prepared on the first clip (priming and the jobs that ended already never need it). */
    public static Finish lambda(JobStore jobs, Supplier<S3Client> s3, Clock clock) {
        return new Finish(jobs, s3, Lazy.of(() -> new Finisher(FfmpegPrograms.locate(), FinishLimits.LAMBDA, FFMPEG_DEADLINE)),
                FinishLimits.LAMBDA, Path.of(System.getProperty("java.io.tmpdir"), "outpaint-finish"), clock);
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = jobs.get(jobId);
        if (job.status().isTerminal()) {
            // run again after it ended (an answer lost), or canceled while it waited: nothing to make
            return state.ended(StepOutcome.valueOf(job.status().name()), null);
        }
        if (job.status() != JobStatus.FINISHING) {
            throw new IllegalStateException("job " + jobId + " is " + job.status() + ", not FINISHING: CopyResults moves it there");
        }
        Job.Output raw = job.outputs().stream().filter(o -> o.key().equals(key(jobId, CopyResults.RAW))).findFirst()
                .orElseThrow(() -> new IllegalStateException("job " + jobId + " has no " + CopyResults.RAW + " to finish"));
        Path dir = work.resolve(jobId);
        try {
            // refused before anything is fetched, on what the record shows; the rest once the clips are probed
            limits.checkClips((job.source().size() == null ? 0 : job.source().size()) + raw.bytes());
            if (job.framing() != null) {
                var canvas = FramingJson.read(job.framing()).canvas();
                limits.checkCanvas(canvas.width(), canvas.height());
            }
            emptyFolder(dir);
            Path input = fetch(job.source().bucket(), job.source().key(), job.source().versionId(),
                    dir.resolve("input" + extension(job.source())));
            Path generated = fetch(raw.bucket(), raw.key(), null, dir.resolve(CopyResults.RAW));
            long started = System.nanoTime();
            Finished finished = finisher.get().finish(input, generated, probed -> spec(job, probed), dir.resolve("out"));
            LOG.info("finished {}x{} at {} fps, {} frames, audio {} ({}) in {} ms", finished.width(), finished.height(), finished.fps(),
                    finished.frames(), finished.audioCodec(), finished.audio(), (System.nanoTime() - started) / 1_000_000);
            return recorded(state, job, raw, finished);
        } catch (FinishRefusedException e) {
            LOG.warn("refused to finish: {} ({})", e.getMessage(), e.limit());
            return state.ended(StepOutcome.FAILED, new StepState.Failure("FINISH_REFUSED", "finishing refused, limit "
                    + e.limit() + ": " + e.getMessage(), "the raw generation is kept as " + raw.key()
                    + "; a shorter or smaller clip fits, or finish: false skips finishing"));
        } catch (FinishFailedException e) {
            LOG.warn("could not finish: {}", e.getMessage());
            return state.ended(StepOutcome.FAILED, new StepState.Failure("FINISH_FAILED", e.getMessage(),
                    "the raw generation is kept as " + raw.key() + "; finish: false skips finishing"));
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The spec of this job: its target's plan, else its raw flags over the input's probed size. */
    static FinishSpec spec(Job job, MediaInfo input) {
        if (job.framing() != null) {
            return FinishFraming.of(FramingJson.read(job.framing()));
        }
        return FinishFraming.ofRawFlags(OutpaintRequest.fromJson(job.request()), input.width(), input.height());
    }

    /** The finished video and poster put beside the raw one, then the record written once, with the end. */
    private StepState recorded(StepState state, Job job, Job.Output raw, Finished f) {
        String jobId = job.jobId();
        String videoKey = key(jobId, VIDEO);
        String posterKey = key(jobId, POSTER);
        put(raw.bucket(), videoKey, f.video(), "video/mp4");
        put(raw.bucket(), posterKey, f.poster(), "image/jpeg");
        Job.Output video = new Job.Output(null, raw.bucket(), videoKey, f.bytes(), f.sha256(), "video/mp4", f.width(), f.height(),
                f.durationSeconds());
        Job.Output poster;
        try {
            poster = new Job.Output(null, raw.bucket(), posterKey, Files.size(f.poster()), Finisher.sha256(f.poster()), "image/jpeg",
                    Finisher.posterWidth(f.width()), Finisher.posterHeight(f.width(), f.height()), null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the poster " + f.poster(), e);
        }
        var section = FinishRecord.of(f, videoKey, raw.key(), posterKey);
        Instant now = clock.instant();
        boolean[] endsNow = {false}; // as the change last applied saw it: a cancel meanwhile keeps the job CANCELED
        Job written = jobs.update(job, j -> {
            if (j.status().isTerminal()) {
                return j;
            }
            endsNow[0] = true;
            return j.withOutputs(ordered(j.outputs(), video, poster), now).withFinish(section, now)
                    .moveTo(JobStatus.SUCCEEDED, now, "finished " + f.width() + "x" + f.height());
        });
        StepState done = state.ended(StepOutcome.valueOf(written.status().name()), null);
        return endsNow[0] ? done.endedNow(JobStatus.SUCCEEDED) : done;
    }

    /** The finished video first (clients download the first output), then the raw one and the poster, then any others. */
    static List<Job.Output> ordered(List<Job.Output> recorded, Job.Output video, Job.Output poster) {
        List<Job.Output> all = new ArrayList<>();
        all.add(video);
        recorded.stream().filter(o -> o.key().endsWith("/" + CopyResults.RAW)).forEach(all::add);
        all.add(poster);
        recorded.stream().filter(o -> !o.key().equals(video.key()) && !o.key().equals(poster.key())
                && !o.key().endsWith("/" + CopyResults.RAW)).forEach(all::add);
        return all;
    }

    private Path fetch(String bucket, String key, String versionId, Path file) {
        s3.get().getObject(b -> b.bucket(bucket).key(key).versionId(versionId), file);
        return file;
    }

    private void put(String bucket, String key, Path file, String contentType) {
        s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    private static String key(String jobId, String name) {
        return ObjectKeys.OUTPUTS_PREFIX + jobId + "/" + name;
    }

    /** The input's extension: its container's, as its bytes said when it was uploaded, else its key's. */
    private static String extension(io.outpaint.job.Job.Source source) {
        var container = io.outpaint.media.VideoProbe.Container.ofMediaType(source.contentType());
        if (container.isPresent()) {
            return "." + container.get().extension();
        }
        String key = source.key();
        int dot = key.lastIndexOf('.');
        return dot > key.lastIndexOf('/') && key.length() - dot <= 6 ? key.substring(dot) : ".video";
    }

    /** The job's folder, empty: what a crashed attempt left is removed first. */
    private static void emptyFolder(Path dir) {
        deleteQuietly(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + dir, e);
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.toString());
        }
    }
}
