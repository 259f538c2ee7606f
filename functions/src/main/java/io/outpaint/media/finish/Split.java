package io.outpaint.media.finish;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.JobStarter;
import io.outpaint.pipeline.LandedPrice;
import io.outpaint.pipeline.Lazy;
import io.outpaint.pipeline.OverMaxCreativeUnitsException;
import io.outpaint.pipeline.Step;
import io.outpaint.pipeline.StepOutcome;
import io.outpaint.pipeline.StepState;
import io.outpaint.queue.Admission;
import io.outpaint.segments.SceneCut;
import io.outpaint.segments.SceneCuts;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
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
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The step for a parent that is SPLITTING (a clip longer than one generation): reads the clip's scene changes, plans
 * its segments with them ({@link SegmentPlanner}: the plan UploadInput made from the headers, its cuts moved onto
 * scene changes where one is near), writes each segment's input under {@code work/<jobId>/segments/} (cut frame-exact
 * from the source, re-encoded near-losslessly, audio left out), then records the segments in the parent
 * (RENDERING_SEGMENTS), queues one job per segment at the parent's place, and gives the parent's slot back, so its
 * segments are admitted next, in order. This execution then ends: the last segment to succeed starts the join.
 * A job with a {@code maxCreativeUnits} has the new plan priced against it first ({@link LandedPrice#checkSplit}): above
 * it, the job fails with OVER_MAX_CREATIVE_UNITS before any segment is cut or queued.
 * Safe to run again: a segment input already written is kept, a segment job already created is found.
 */
public final class Split implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(Split.class);

    private final JobStore jobs;
    private final Supplier<S3Client> s3;
    private final Supplier<FfmpegProcess> ffmpeg;
    private final JobStarter starter;
    private final Admission admission;
    private final SegmentRules rules;
    private final Path work;
    private final Clock clock;
    private final LandedPrice cap;

    /** {@code cap} prices the plan made here against the job's {@code maxCreativeUnits} ({@link LandedPrice#checkSplit}). */
    public Split(JobStore jobs, Supplier<S3Client> s3, Supplier<FfmpegProcess> ffmpeg, JobStarter starter, Admission admission,
                 SegmentRules rules, Path work, Clock clock, LandedPrice cap) {
        this.cap = cap;
        this.jobs = jobs;
        this.s3 = s3;
        this.ffmpeg = ffmpeg;
        this.starter = starter;
        this.admission = admission;
        this.rules = rules;
        this.work = work;
        this.clock = clock;
    }

    /** As Lambda runs it: FFmpeg prepared on the first clip. */
    public static Split lambda(JobStore jobs, Supplier<S3Client> s3, JobStarter starter, Admission admission, SegmentRules rules,
                               Clock clock, LandedPrice cap) {
        return new Split(jobs, s3, Lazy.of(() -> new FfmpegProcess(FfmpegPrograms.locate(), Finish.FFMPEG_DEADLINE)), starter,
                admission, rules, Path.of(System.getProperty("java.io.tmpdir"), "outpaint-split"), clock, cap);
    }

    @Override
    public StepState run(StepState state) {
        String jobId = state.jobId();
        Job job = jobs.get(jobId);
        if (job.status().isTerminal()) {
            return state.ended(StepOutcome.valueOf(job.status().name()), null);
        }
        if (job.status() == JobStatus.RENDERING_SEGMENTS || job.status() == JobStatus.JOINING) {
            admission.release(jobId); // split before (an answer lost): its slot may still be held
            return state.with(StepOutcome.SEGMENTS_QUEUED);
        }
        if (job.status() != JobStatus.SPLITTING || !Segments.isParent(job)) {
            throw new IllegalStateException("job " + jobId + " is " + job.status() + ", not SPLITTING: UploadInput moves a long clip there");
        }
        Path dir = work.resolve(jobId);
        try {
            emptyFolder(dir);
            Path input = dir.resolve("input");
            s3.get().getObject(b -> b.bucket(job.source().bucket()).key(job.source().key()).versionId(job.source().versionId()), input);
            MediaProbe probe = new MediaProbe(ffmpeg.get());
            MediaInfo info = probe.probe(input);
            double videoStart = probe.videoStartSeconds(input);
            SegmentPlan plan = plan(job, info, new SceneCuts(ffmpeg.get(), SceneCuts.DEFAULT_THRESHOLD).find(input));
            if (cap.checkSplit(job, plan) instanceof LandedPrice.Outcome.Over over) {
                // before any segment is cut or queued: the failure path records it, gives the slot back and notifies
                LOG.warn("parent {} not split: {}", jobId, over.error().message());
                throw new OverMaxCreativeUnitsException(over.error().message() + "; " + over.error().hint());
            }
            Job planned = jobs.update(job, j -> j.withSegments(Segments.planned(plan), clock.instant()));
            List<Long> sizes = new ArrayList<>();
            for (SegmentPlan.Segment segment : plan.segments()) {
                sizes.add(cut(input, info, videoStart, segment, Segments.inputKey(jobId, segment.index()), job.source().bucket(), dir));
            }
            List<String> ids = plan.segments().stream().map(s -> Segments.jobId(jobId, s.index(), 1)).toList();
            Instant now = clock.instant();
            // the parent lists its segments before they exist: a segment's end always finds its item
            Job split = jobs.update(planned, j -> j.status() != JobStatus.SPLITTING ? j
                    : j.withSegments(Segments.split(Segments.planned(plan), ids), now)
                            .moveTo(JobStatus.RENDERING_SEGMENTS, now, plan.count() + " segments queued"));
            if (split.status() != JobStatus.RENDERING_SEGMENTS) {
                return state.ended(split.status().isTerminal() ? StepOutcome.valueOf(split.status().name()) : StepOutcome.SEGMENTS_QUEUED, null);
            }
            for (SegmentPlan.Segment segment : plan.segments()) {
                starter.start(Segments.segmentJob(split, segment.index(), 1, job.source().bucket(), sizes.get(segment.index())));
            }
            LOG.info("split {} frames at {} fps into {} segments {}", plan.sourceFrames(), info.fps(), plan.count(), describe(plan));
            admission.release(jobId); // the parent's slot: its segments, at its place in the queue, take it now
            return state.with(StepOutcome.SEGMENTS_QUEUED);
        } finally {
            Finish.deleteQuietly(dir);
        }
    }

    /**
     * UploadInput's plan (its seed and overlap), made again from the frames and rate FFmpeg counted and the clip's scene changes:
     * a clip whose headers did not state its frames was planned from its duration, and is planned here on what it holds.
     */
    private SegmentPlan plan(Job job, MediaInfo info, List<SceneCut> cuts) {
        JsonNode headers = Segments.plan(job);
        SegmentRules own = new SegmentRules(rules.maxFrames(), rules.minFrames(), headers.path("overlapFrames").asInt(rules.overlapFrames()),
                rules.windowFrames());
        // the rate as the request asks it, of the rate FFmpeg read (the headers' plan may have assumed one they did not state)
        io.outpaint.request.OutpaintRequest request = io.outpaint.request.OutpaintRequest.fromJson(job.request());
        double generationFps = io.outpaint.segments.InputLength.generationFps(info.fps().value(), request.matchInputFramesPerSecond(),
                request.framesPerSecond());
        return SegmentPlanner.plan(info.frames(), info.fps().value(), generationFps, own, cuts, headers.path("seed").asLong());
    }

    /** Segment {@code s}'s input, cut frame-exact and written to {@code key} (kept when there already); its size. */
    private long cut(Path input, MediaInfo info, double videoStart, SegmentPlan.Segment s, String key, String bucket, Path dir) {
        try {
            return s3.get().headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException absent) {
            // cut it below
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        Path file = dir.resolve(String.format(Locale.ROOT, "segment-%03d.mp4", s.index() + 1));
        // frame-exact, as the segment's finish reads the same frames of the source (FrameSeek, from the video's own start)
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        args.addAll(FrameSeek.inputArgs(input, videoStart, info.fps(), s.firstFrame(), s.sourceFrames()));
        args.addAll(List.of("-map", "0:v:0", "-an", "-sn", "-dn", "-vf", "trim=end_frame=" + s.sourceFrames() + ",setpts=PTS-STARTPTS"));
        args.addAll(H264Quality.NEAR_LOSSLESS.encoderArgs(info.width(), info.height(), info.fps()));
        args.addAll(List.of("-r", info.fps().toString(), "-movflags", "+faststart", "-f", "mp4", file.toString()));
        ffmpeg.get().ffmpeg("cut segment " + (s.index() + 1), args);
        s3.get().putObject(b -> b.bucket(bucket).key(key).contentType("video/mp4"), RequestBody.fromFile(file));
        try {
            long size = Files.size(file);
            Files.delete(file);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static String describe(SegmentPlan plan) {
        return plan.segments().stream().map(s -> "[" + s.firstFrame() + "," + s.endFrame() + ")" + (s.endsAtSceneChange() ? "*" : ""))
                .toList().toString();
    }

    private static void emptyFolder(Path dir) {
        Finish.deleteQuietly(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + dir, e);
        }
    }
}
