package io.outpaint.media.finish;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.pipeline.Step;
import io.outpaint.pipeline.StepOutcome;
import io.outpaint.pipeline.StepState;
import io.outpaint.segments.Segments;
import io.outpaint.store.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One iteration of the join's Map, for one segment's job: finishes that segment against the parent's source
 * ({@link SegmentFinisher}: the source's frames laid back over the generation, whose margins' colours are first
 * matched with the neighbouring segments' generations where they overlap, {@link MarginColours}) and writes its pieces
 * (head, body, tail) under {@code work/<parent>/pieces/}, where the Join step reads them. Segments are finished in parallel, each
 * in its own invocation, so the Join itself only cross-fades the overlaps and copies the rest. Safe to run again:
 * pieces already written are kept. A segment's pieces depend on its neighbours' generations too (the colour match), so
 * they are named with the attempts of all three ({@link Segments#pieceKey}): after a segment is generated again, it and
 * its two neighbours are finished anew, and every other segment's pieces are kept.
 */
public final class FinishSegment implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(FinishSegment.class);

    private final JobStore jobs;
    private final Supplier<S3Client> s3;
    private final Supplier<SegmentFinisher> finisher;
    private final Supplier<MediaProbe> probe;
    private final Path work;

    public FinishSegment(JobStore jobs, Supplier<S3Client> s3, Supplier<SegmentFinisher> finisher, Supplier<MediaProbe> probe, Path work) {
        this.jobs = jobs;
        this.s3 = s3;
        this.finisher = finisher;
        this.probe = probe;
        this.work = work;
    }

    @Override
    public StepState run(StepState state) {
        Job segment = jobs.get(state.jobId());
        java.util.Optional<Segments.SegmentOf> place = Segments.segmentOf(segment);
        if (place.isEmpty()) {
            // started by hand on another job (or SnapStart's priming on its sample): nothing of a long clip to finish
            LOG.info("job {} is not a segment of a longer clip: nothing to finish", segment.jobId());
            return state.ended(StepOutcome.FAILED, new StepState.Failure("NOT_A_SEGMENT", "job " + segment.jobId()
                    + " is not a segment of a longer clip", null));
        }
        Segments.SegmentOf of = place.get();
        Job parent = jobs.get(of.parent());
        if (parent.status() != JobStatus.JOINING) {
            LOG.info("parent {} is {}, not JOINING: segment {} not finished", parent.jobId(), parent.status(), of.index() + 1);
            return state.with(parent.status().isTerminal() ? StepOutcome.valueOf(parent.status().name()) : StepOutcome.RUNNING);
        }
        SegmentCut cut = cutOf(parent, of.index());
        String bucket = parent.source().bucket();
        Map<String, Long> wanted = pieces(cut);
        List<Segments.Item> items = Segments.items(parent);
        if (wanted.keySet().stream().allMatch(name -> exists(bucket, Segments.pieceKey(parent.jobId(), items, of.index(), name, "")))) {
            return state.with(StepOutcome.SUCCEEDED); // finished before (an answer lost)
        }
        Path dir = work.resolve(segment.jobId());
        try {
            Files.createDirectories(dir);
            Path source = Join.fetch(s3.get(), parent.source(), dir.resolve("source" + Join.extension(parent.source().key())));
            Path generated = generation(segment, dir.resolve("generated.mp4"));
            // the neighbours' generations, whose margins this segment's meet in the overlaps (MarginColours)
            List<String> ids = Segments.jobIds(parent);
            Optional<MarginColours.Neighbour> previous = cut.headFrames() > 0
                    ? Optional.of(new MarginColours.Neighbour(cutOf(parent, of.index() - 1),
                            generation(jobs.get(ids.get(of.index() - 1)), dir.resolve("previous-generated.mp4"))))
                    : Optional.empty();
            Optional<MarginColours.Neighbour> next = cut.tailFrames() > 0
                    ? Optional.of(new MarginColours.Neighbour(cutOf(parent, of.index() + 1),
                            generation(jobs.get(ids.get(of.index() + 1)), dir.resolve("next-generated.mp4"))))
                    : Optional.empty();
            MediaInfo in = probe.get().probe(source);
            FinishSpec spec = Finish.spec(parent, in);
            long started = System.nanoTime();
            SegmentPieces made = finisher.get().finish(source, cut, generated, previous, next, spec, dir.resolve("pieces"));
            LOG.info("finished segment {} of {} (frames [{}, {})) in {} ms", of.index() + 1, of.count(), cut.firstFrame(), cut.endFrame(),
                    (System.nanoTime() - started) / 1_000_000);
            put(bucket, Segments.pieceKey(parent.jobId(), items, of.index(), SegmentPieces.HEAD, ""), made.head());
            put(bucket, Segments.pieceKey(parent.jobId(), items, of.index(), SegmentPieces.BODY, ""), made.body());
            put(bucket, Segments.pieceKey(parent.jobId(), items, of.index(), SegmentPieces.TAIL, ""), made.tail());
            return state.with(StepOutcome.SUCCEEDED);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("finishing segment " + (of.index() + 1), e);
        } finally {
            Finish.deleteQuietly(dir);
        }
    }

    /** A segment's raw generation (its job's first output), fetched to {@code file}. */
    private Path generation(Job segment, Path file) {
        Job.Output raw = segment.outputs().stream().findFirst().orElseThrow(() ->
                new IllegalStateException("segment " + segment.jobId() + " has no generation to finish"));
        s3.get().getObject(b -> b.bucket(raw.bucket()).key(raw.key()), file);
        return file;
    }

    /** The cut of segment {@code index} as the parent's plan records it. */
    public static SegmentCut cutOf(Job parent, int index) {
        JsonNode each = Segments.plan(parent).path("each");
        JsonNode s = each.get(index);
        long next = index + 1 < each.size() ? each.get(index + 1).path("overlapWithPrevious").asLong() : 0;
        return new SegmentCut(index, s.path("firstFrame").asLong(), s.path("endFrame").asLong(), s.path("overlapWithPrevious").asLong(), next);
    }

    /** The pieces a cut has (by file name), with their frame counts. */
    public static Map<String, Long> pieces(SegmentCut cut) {
        java.util.LinkedHashMap<String, Long> names = new java.util.LinkedHashMap<>();
        if (cut.headFrames() > 0) {
            names.put(SegmentPieces.HEAD, cut.headFrames());
        }
        if (cut.bodyFrames() > 0) {
            names.put(SegmentPieces.BODY, cut.bodyFrames());
        }
        if (cut.tailFrames() > 0) {
            names.put(SegmentPieces.TAIL, cut.tailFrames());
        }
        return names;
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.get().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void put(String bucket, String key, Optional<Path> file) {
        file.ifPresent(f -> s3.get().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(f)));
    }
}
