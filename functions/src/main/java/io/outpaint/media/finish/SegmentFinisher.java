package io.outpaint.media.finish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finishes one segment of a long clip, as {@link Finisher} finishes a short one (the generation stretched over the
 * segment's frames, scaled to the canvas, its margins' colours matched with the neighbouring segments' where they
 * overlap ({@link MarginColours}), the source laid back with its feathered seam), in one FFmpeg run that reads
 * only the segment's frames of the whole source ({@link FrameSeek}) and writes its three {@link SegmentPieces}: the
 * head and tail lossless for the Join's cross-fades, the body with the final encoder settings. Segments finish apart
 * and at once (one Lambda each): the Join is then left with the overlaps to encode and the rest to copy.
 */
public final class SegmentFinisher {

    /**
     * The body's key frame interval, in frames: predicted frames skip a slow, even change (a margin's colour moving a
     * fraction of a level a frame), which then builds up until the next key frame, so the body gets one as often as
     * the overlaps are long, and its last frame is never far from what was composed.
     */
    static final long BODY_GOP = 12;

    private final FfmpegProcess process;
    private final MediaProbe probe;
    private final FinishLimits limits;

    public SegmentFinisher(FfmpegPrograms programs, FinishLimits limits, Duration timeout) {
        this.process = new FfmpegProcess(programs, timeout);
        this.probe = new MediaProbe(process);
        this.limits = limits;
    }

    /**
     * Writes {@code cut}'s pieces into {@code outDir} from the whole {@code source} and the segment's raw {@code generated},
     * its margins as generated (no neighbour to match).
     */
    public SegmentPieces finish(Path source, SegmentCut cut, Path generated, FinishSpec spec, Path outDir) {
        return finish(source, cut, generated, Optional.empty(), Optional.empty(), spec, outDir);
    }

    /**
     * Writes {@code cut}'s pieces into {@code outDir} from the whole {@code source} and the segment's raw {@code generated},
     * its margins' colours matched with the {@code previous} and {@code next} segments' generations where they overlap
     * ({@link MarginColours}).
     */
    public SegmentPieces finish(Path source, SegmentCut cut, Path generated, Optional<MarginColours.Neighbour> previous,
                                Optional<MarginColours.Neighbour> next, FinishSpec spec, Path outDir) {
        MediaInfo whole = probe.probe(source);
        if (cut.endFrame() > whole.frames()) {
            throw new IllegalArgumentException("segment " + cut.index() + " ends at frame " + cut.endFrame() + ", past the source's "
                    + whole.frames() + " frames");
        }
        MediaInfo part = segmentOf(whole, cut);
        MediaInfo gen = probe.probe(generated);
        limits.check(part, spec, Finisher.size(source) + Finisher.size(generated));
        Finisher.checkFits(whole, spec);
        double videoStart = probe.videoStartSeconds(source);
        try {
            Files.createDirectories(outDir);
            for (String name : List.of(SegmentPieces.HEAD, SegmentPieces.BODY, SegmentPieces.TAIL)) {
                Files.deleteIfExists(outDir.resolve(name)); // what an earlier attempt left must not pass for a piece
            }
            MarginColours.Plan colours = MarginColours.plan(process, probe, whole, cut, generated, previous, next, spec, outDir);
            Path commands = outDir.resolve("margin-colours-" + cut.index() + ".txt");
            Path mask = SeamMask.write(spec, outDir.resolve("seam-mask-" + cut.index() + ".png"));
            Optional<Path> weights = MarginColours.writeWeights(colours, outDir.resolve("margin-weights-" + cut.index() + ".yuv"));
            Set<String> all = pieces(cut);
            if (colours.isIdentity() || cut.tailFrames() == 0 || cut.bodyFrames() == 0) {
                String match = MarginColours.chain(colours, part.fps(), commands);
                process.ffmpeg("finish segment " + cut.index(), command(source, videoStart, generated, mask, weights, part, gen, spec, cut, match,
                        all, Optional.empty(), outDir));
            } else {
                // the body's encoder lets a slow, even change of colour lag behind (it skips what changes by less than a
                // step): its last frame is measured as encoded, and the tail starts from there and comes back to the plan
                Path last = outDir.resolve("body-last-" + cut.index() + ".yuv");
                Set<String> first = new LinkedHashSet<>(all);
                first.remove(SegmentPieces.TAIL);
                process.ffmpeg("finish segment " + cut.index(), command(source, videoStart, generated, mask, weights, part, gen, spec, cut,
                        MarginColours.chain(colours, part.fps(), commands), first, Optional.of(last), outDir));
                MarginColours.Stats planned = MarginColours.of(Files.readAllBytes(last), spec.canvasWidth(), spec.canvasHeight(),
                        spec.source());
                MarginColours.Stats encoded = MarginColours.lastFrame(process, outDir.resolve(SegmentPieces.BODY), spec, last);
                Files.deleteIfExists(last);
                MarginColours.Plan tail = colours.withTailFrom(planned, encoded);
                process.ffmpeg("finish segment " + cut.index() + "'s tail", command(source, videoStart, generated, mask, weights, part, gen, spec,
                        cut, MarginColours.chain(tail, part.fps(), commands), Set.of(SegmentPieces.TAIL), Optional.empty(), outDir));
            }
            Files.deleteIfExists(mask);
            if (weights.isPresent()) {
                Files.deleteIfExists(weights.get());
            }
            Files.deleteIfExists(commands);
        } catch (IOException e) {
            throw new FinishFailedException("finish segment " + cut.index() + ": " + e.getMessage(), e);
        }
        return SegmentPieces.in(outDir, cut);
    }

    /** The source as far as the segment goes: its frames alone, no sound (the Join lays the whole track back). */
    static MediaInfo segmentOf(MediaInfo whole, SegmentCut cut) {
        return new MediaInfo(whole.width(), whole.height(), whole.fps(), cut.frames(), cut.frames() / whole.fps().value(),
                whole.videoCodec(), Optional.empty());
    }

    /** The pieces {@code cut} has, by file name, in order. */
    static Set<String> pieces(SegmentCut cut) {
        return new LinkedHashSet<>(FinishSegment.pieces(cut).keySet());
    }

    /**
     * The finishing run that writes {@code wanted} of the cut's pieces into {@code outDir} (and, if asked, the body's last
     * frame as composed, raw yuv420p, to {@code bodyLast}).
     */
    static List<String> command(Path source, double videoStart, Path generated, Path mask, Optional<Path> weights, MediaInfo part,
                                MediaInfo gen, FinishSpec spec, SegmentCut cut, String marginFilters, Set<String> wanted,
                                Optional<Path> bodyLast, Path outDir) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        args.addAll(FrameSeek.inputArgs(source, videoStart, part.fps(), cut.firstFrame(), cut.frames()));
        args.addAll(List.of("-i", generated.toString(), "-i", mask.toString()));
        weights.ifPresent(w -> args.addAll(List.of("-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size",
                spec.canvasWidth() + "x" + spec.canvasHeight(), "-i", w.toString())));
        args.addAll(List.of("-filter_complex", filter(part, gen, spec, cut, marginFilters, weights.isPresent(), wanted,
                bodyLast.isPresent())));
        if (wanted.contains(SegmentPieces.HEAD)) {
            args.addAll(List.of("-map", "[head]", "-c:v", "ffv1", "-f", "nut", outDir.resolve(SegmentPieces.HEAD).toString()));
        }
        if (wanted.contains(SegmentPieces.BODY)) {
            args.addAll(List.of("-map", "[body]"));
            args.addAll(spec.quality().encoderArgs(spec.canvasWidth(), spec.canvasHeight(), part.fps()));
            args.addAll(List.of("-g", Long.toString(BODY_GOP), "-r", part.fps().toString(), "-f", "mp4",
                    outDir.resolve(SegmentPieces.BODY).toString()));
        }
        bodyLast.ifPresent(last -> args.addAll(List.of("-map", "[body_last]", "-f", "rawvideo", "-pix_fmt", "yuv420p", last.toString())));
        if (wanted.contains(SegmentPieces.TAIL)) {
            args.addAll(List.of("-map", "[tail]", "-c:v", "ffv1", "-f", "nut", outDir.resolve(SegmentPieces.TAIL).toString()));
        }
        return args;
    }

    /**
     * {@link FinishGraph}'s composite over the segment's frames ({@code marginFilters} on the generation), split into the
     * {@code wanted} pieces (and the body's last frame, with {@code bodyLast}).
     */
    static String filter(MediaInfo part, MediaInfo gen, FinishSpec spec, SegmentCut cut, String marginFilters, boolean weighted,
                         Set<String> wanted, boolean bodyLast) {
        List<String> labels = new ArrayList<>();
        List<String> trims = new ArrayList<>();
        long head = cut.headFrames();
        long tail = cut.frames() - cut.tailFrames();
        if (wanted.contains(SegmentPieces.HEAD)) {
            labels.add("head");
            trims.add("trim=end_frame=" + head);
        }
        if (wanted.contains(SegmentPieces.BODY)) {
            labels.add("body");
            trims.add("trim=start_frame=" + head + ":end_frame=" + tail);
        }
        if (bodyLast) {
            labels.add("body_last");
            trims.add("trim=start_frame=" + (tail - 1) + ":end_frame=" + tail);
        }
        if (wanted.contains(SegmentPieces.TAIL)) {
            labels.add("tail");
            trims.add("trim=start_frame=" + tail);
        }
        StringBuilder graph = new StringBuilder(FinishGraph.filter(part, gen, spec, marginFilters, weighted && !marginFilters.isEmpty())).append(";[v]split=").append(labels.size());
        for (String label : labels) {
            graph.append("[to_").append(label).append(']');
        }
        for (int i = 0; i < labels.size(); i++) {
            graph.append(";[to_").append(labels.get(i)).append(']').append(trims.get(i)).append(",setpts=PTS-STARTPTS[")
                    .append(labels.get(i)).append(']');
        }
        return graph.toString();
    }
}
