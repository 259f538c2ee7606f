package io.outpaint.segments;

import io.outpaint.job.Hashes;
import io.outpaint.request.OutpaintRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cuts a clip into the generations that make it ({@link SegmentPlan}). The rules, in source frames
 * converted from {@link SegmentRules}' generated frames at {@code sourceFps / generationFps}:
 * <ul>
 * <li>A clip whose generation fits {@code maxFrames} is one segment, never split (under {@code minFrames} it is
 *     generated at the minimum, as a short clip is today).</li>
 * <li>Otherwise segments are cut greedily at the longest length whose generation fits {@code maxFrames}; each
 *     next one starts {@code overlap} source frames (the overlap in generated frames, rounded up) before the
 *     previous one ends.</li>
 * <li>When that would leave a remainder under {@code minFrames}, the last two are balanced instead: what is left
 *     is split evenly in two (the first takes the odd frame).</li>
 * <li>A scene change within {@code windowFrames} (either way) of where a cut would fall takes the cut, the
 *     highest score winning, then the nearest, then the earlier: the segment ends where the new shot starts, so the
 *     overlap, and so the Join's cross-fade, lies within the old shot. A scene change is only taken where every
 *     bound still holds and it costs no extra segment.</li>
 * </ul>
 * The same inputs give the same plan.
 */
public final class SegmentPlanner {

    private static final double EPSILON = 1e-9;

    private SegmentPlanner() {}

    /** The plan for {@code sourceFrames} frames at {@code sourceFps}, generated at {@code generationFps}. */
    public static SegmentPlan plan(long sourceFrames, double sourceFps, double generationFps, SegmentRules rules,
                                   List<SceneCut> sceneCuts, long seed) {
        if (sourceFrames < 1 || !(sourceFps > 0) || !(generationFps > 0) || Double.isInfinite(sourceFps) || Double.isInfinite(generationFps)) {
            throw new IllegalArgumentException("a clip has frames and positive rates: " + sourceFrames + " frames at " + sourceFps
                    + " fps, generated at " + generationFps + " fps");
        }
        Units u = new Units(sourceFps, generationFps);
        long max = u.mostSourceFrames(rules.maxFrames());
        long min = u.sourceFramesFor(rules.minFrames());
        long overlap = u.sourceFramesFor(rules.overlapFrames());
        long window = Math.round(rules.windowFrames() * sourceFps / generationFps);
        if (max < 2 || min > max || overlap >= min || max + overlap + 1 < 2 * min) {
            throw new IllegalArgumentException("no segment plan at " + sourceFps + " fps generated at " + generationFps
                    + " fps: " + min + " to " + max + " source frames per segment with " + overlap + " of overlap");
        }
        Cutter cutter = new Cutter(sourceFrames, max, min, overlap, window, sceneFrames(sceneCuts, sourceFps, sourceFrames));
        List<SegmentPlan.Segment> segments = new ArrayList<>();
        long first = 0;
        while (true) {
            long rest = sourceFrames - first;
            long shared = segments.isEmpty() ? 0 : overlap;
            if (rest <= max) {
                int generated = Math.max(u.generatedFrames(rest), segments.isEmpty() ? rules.minFrames() : 0);
                segments.add(new SegmentPlan.Segment(segments.size(), first, sourceFrames, shared, generated, false));
                break;
            }
            long natural = first + max;
            if (sourceFrames - natural + overlap < min) {
                natural = first + (rest + overlap + 1) / 2;
            }
            Optional<Long> scene = cutter.sceneNear(first, natural);
            long end = scene.orElse(natural);
            segments.add(new SegmentPlan.Segment(segments.size(), first, end, shared, u.generatedFrames(end - first), scene.isPresent()));
            first = end - overlap;
        }
        return new SegmentPlan(sourceFrames, sourceFps, generationFps, rules.overlapFrames(), (int) overlap, seed, segments);
    }

    /** The request's seed, else one derived from the job id: every segment of a job, and every retry of one, gets the same. */
    public static long seedFor(Optional<Long> requested, String jobId) {
        return requested.orElseGet(() -> Long.parseUnsignedLong(Hashes.sha256Hex(jobId).substring(0, 16), 16) & OutpaintRequest.MAX_SEED);
    }

    /** Scene changes as the source frame that starts the new shot, the best score kept per frame; the clip's ends dropped. */
    private static TreeMap<Long, Double> sceneFrames(List<SceneCut> cuts, double fps, long frames) {
        TreeMap<Long, Double> byFrame = new TreeMap<>();
        for (SceneCut cut : cuts) {
            long frame = Math.round(cut.seconds() * fps);
            if (frame > 0 && frame < frames) {
                byFrame.merge(frame, cut.score(), Math::max);
            }
        }
        return byFrame;
    }

    /** Source and generated frames: a segment of n source frames lasts n / sourceFps s and generates that times generationFps. */
    private record Units(double sourceFps, double generationFps) {
        int generatedFrames(long sourceFrames) {
            return Math.toIntExact((long) Math.ceil(sourceFrames * generationFps / sourceFps - EPSILON));
        }

        /** The fewest source frames that last as long as {@code generated} generated frames. */
        long sourceFramesFor(int generated) {
            return (long) Math.ceil(generated * sourceFps / generationFps - EPSILON);
        }

        /** The most source frames whose generation stays within {@code generated}. */
        long mostSourceFrames(int generated) {
            long n = (long) Math.floor(generated * sourceFps / generationFps + EPSILON);
            while (generatedFrames(n + 1) <= generated) {
                n++;
            }
            while (n > 0 && generatedFrames(n) > generated) {
                n--;
            }
            return n;
        }
    }

    /** Where cuts may go, in source frames. */
    private record Cutter(long frames, long max, long min, long overlap, long window, TreeMap<Long, Double> scenes) {

        /** The best scene change near {@code natural} for a segment from {@code first}, if one keeps every bound and the count. */
        Optional<Long> sceneNear(long first, long natural) {
            int segmentsAfter = segmentsFor(frames - natural + overlap);
            return scenes.subMap(natural - window, true, natural + window, true).entrySet().stream()
                    .filter(e -> e.getKey() - first >= min && e.getKey() - first <= max)
                    .filter(e -> frames - e.getKey() + overlap >= min && segmentsFor(frames - e.getKey() + overlap) <= segmentsAfter)
                    .min(Comparator.<Map.Entry<Long, Double>>comparingDouble(e -> -e.getValue())
                            .thenComparingLong(e -> Math.abs(e.getKey() - natural))
                            .thenComparingLong(Map.Entry::getKey))
                    .map(Map.Entry::getKey);
        }

        /** How many segments the greedy cut (with balancing) makes of {@code rest} frames. */
        int segmentsFor(long rest) {
            return rest <= max ? 1 : Math.toIntExact(1 + (rest - max + (max - overlap) - 1) / (max - overlap));
        }
    }
}
