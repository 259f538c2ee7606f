package io.outpaint.local.bench;

import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.media.finish.FinishLimits;
import io.outpaint.media.finish.FinishSpec;
import io.outpaint.media.finish.Finished;
import io.outpaint.media.finish.Finisher;
import io.outpaint.media.finish.SegmentCut;
import io.outpaint.media.finish.SegmentFinisher;
import io.outpaint.media.finish.SegmentJoiner;
import io.outpaint.media.finish.SegmentPieces;
import io.outpaint.request.FrameLimits;
import io.outpaint.segments.SegmentPlan;
import io.outpaint.segments.SegmentPlanner;
import io.outpaint.segments.SegmentRules;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A long clip's Join: a 16:9 24 fps clip of {@code segments} whole generations (241 frames at 16 fps, 8 of overlap, as
 * {@link SegmentPlanner} cuts it at the model's limits), reframed to 1:1; each segment finished by {@link SegmentFinisher}
 * (one Lambda each, at once, in the pipeline), then joined by {@link SegmentJoiner}; beside one {@link Finisher#finish}
 * of the whole clip, what a short clip gets, in the same run. Figures are seconds of work per minute of video, each the
 * best of the rounds.
 */
public final class JoinBenchmark {

    private static final int GENERATION_FPS = 16;
    private static final int SOURCE_FPS = 24;

    private JoinBenchmark() {}

    public static void run(PrintStream out, List<Integer> heights, int segments, int rounds) throws Exception {
        FfmpegPrograms ffmpeg = FfmpegPrograms.locate();
        Duration deadline = Duration.ofMinutes(30);
        Finisher finisher = new Finisher(ffmpeg, FinishLimits.LAMBDA, deadline);
        SegmentFinisher segmentFinisher = new SegmentFinisher(ffmpeg, FinishLimits.LAMBDA, deadline);
        SegmentJoiner joiner = new SegmentJoiner(ffmpeg, deadline);
        SegmentRules rules = SegmentRules.model();
        long perSegment = (long) Math.floor((double) FrameLimits.MAX_FRAMES * SOURCE_FPS / GENERATION_FPS);
        long overlap = (long) Math.ceil((double) rules.overlapFrames() * SOURCE_FPS / GENERATION_FPS);
        long frames = segments * perSegment - (segments - 1) * overlap;
        double seconds = (double) frames / SOURCE_FPS;
        double minutes = seconds / 60;
        Path dir = Files.createTempDirectory("join-bench-");
        out.printf("Join: a %.1f s testsrc2 + sine clip at %d fps, 16:9 reframed to 1:1, %d segments at the model's limits (%d generated"
                        + " frames at %d fps, %d of overlap); seconds of work per minute of video, best of %d, %d cores%n",
                seconds, SOURCE_FPS, segments, FrameLimits.MAX_FRAMES, GENERATION_FPS, rules.overlapFrames(), rounds,
                Runtime.getRuntime().availableProcessors());
        for (int height : heights) {
            int width = height * 16 / 9 / 2 * 2;
            FinishSpec spec = FinishSpec.of(width, width, new FinishSpec.Rect(0, (width - height) / 2 / 2 * 2, width, height));
            Path source = make(ffmpeg, dir, "source" + height + ".mp4", List.of("-f", "lavfi", "-i",
                    "testsrc2=size=" + width + "x" + height + ":rate=" + SOURCE_FPS + ",trim=end_frame=" + frames,
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac",
                    "-c:v", "libopenh264", "-b:v", "8M"));
            SegmentPlan plan = SegmentPlanner.plan(frames, SOURCE_FPS, GENERATION_FPS, rules, List.of(), 1);
            if (plan.count() != segments) {
                throw new IllegalStateException("the plan has " + plan.count() + " segments, not " + segments);
            }
            List<Path> generations = new ArrayList<>();
            for (SegmentPlan.Segment s : plan.segments()) {
                generations.add(generation(ffmpeg, dir, source, height, width, s.firstFrame(), s.endFrame(), s.generatedFrames(),
                        "gen" + height + "-" + s.index() + ".mp4", s.index()));
            }
            Path wholeGeneration = generation(ffmpeg, dir, source, height, width, 0, frames,
                    (int) Math.ceil(frames * (double) GENERATION_FPS / SOURCE_FPS), "gen" + height + "-whole.mp4", 0);
            Took whole = Took.NONE;
            Took allSegments = Took.NONE;
            Took longest = Took.NONE;
            Took join = Took.NONE;
            Took evenJoin = Took.NONE;
            long pieceBytes = 0;
            for (int round = 0; round < rounds; round++) {
                Took.Start started = Took.start();
                finisher.finish(source, wholeGeneration, spec, dir.resolve("whole" + height));
                whole = whole.best(started.took());
                List<SegmentPieces> pieces = new ArrayList<>();
                Took sum = Took.ZERO;
                Took slowest = Took.ZERO;
                for (SegmentCut cut : SegmentCut.of(plan)) {
                    started = Took.start();
                    pieces.add(segmentFinisher.finish(source, cut, generations.get(cut.index()), spec,
                            dir.resolve("segment" + height + "-" + cut.index())));
                    Took one = started.took();
                    sum = sum.plus(one);
                    slowest = one.wallSeconds() > slowest.wallSeconds() ? one : slowest;
                }
                allSegments = allSegments.best(sum);
                longest = longest.best(slowest);
                pieceBytes = bytes(pieces);
                started = Took.start();
                Finished joined = joiner.join(source, pieces, spec, dir.resolve("joined" + height));
                join = join.best(started.took());
                started = Took.start();
                joiner.join(source, pieces, spec, dir.resolve("even" + height), SegmentJoiner.Overlap.EVEN_CROSS_FADE);
                evenJoin = evenJoin.best(started.took());
                if (joined.frames() != frames) {
                    throw new IllegalStateException("the join has " + joined.frames() + " frames, the source " + frames);
                }
            }
            out.printf("%dp reframed to %dx%d, %.1f s, %d segments; per minute of video, wall s / FFmpeg's CPU s:%n", height, width,
                    width, seconds, segments, minutes);
            out.printf("  whole clip, one Finisher.finish      %8.1f / %8.1f%n", whole.wallSeconds() / minutes, whole.cpuSeconds() / minutes);
            out.printf("  every segment, SegmentFinisher       %8.1f / %8.1f   (the longest: %.1f s / %.1f s)%n",
                    allSegments.wallSeconds() / minutes, allSegments.cpuSeconds() / minutes, longest.wallSeconds(), longest.cpuSeconds());
            out.printf("  the join, SegmentJoiner              %8.1f / %8.1f%n", join.wallSeconds() / minutes, join.cpuSeconds() / minutes);
            out.printf("  the join with an even cross-fade     %8.1f / %8.1f   (the fade's pace: %.2fx wall)%n",
                    evenJoin.wallSeconds() / minutes, evenJoin.cpuSeconds() / minutes, join.wallSeconds() / evenJoin.wallSeconds());
            out.printf("  join / whole: %.3fx wall, %.3fx CPU; segments / whole: %.2fx CPU; longest segment + join / whole: %.2fx wall%n",
                    join.wallSeconds() / whole.wallSeconds(), join.cpuSeconds() / whole.cpuSeconds(),
                    allSegments.cpuSeconds() / whole.cpuSeconds(), (longest.wallSeconds() + join.wallSeconds()) / whole.wallSeconds());
            out.printf("  pieces (heads, bodies, tails): %.0f MB per minute of video%n", pieceBytes / 1e6 / minutes);
        }
        deleteAll(dir);
    }

    /**
     * Wall time, and the CPU time of the FFmpeg processes that ended meanwhile (Linux's count of a process's waited-for
     * children, /proc/self/stat, in clock ticks of 1/100 s): on a shared machine the CPU time says what the work costs,
     * whatever else runs beside it.
     */
    record Took(double wallSeconds, double cpuSeconds) {
        static final Took NONE = new Took(Double.MAX_VALUE, Double.MAX_VALUE);
        static final Took ZERO = new Took(0, 0);

        record Start(long nanos, double cpu) {
            Took took() {
                return new Took((System.nanoTime() - nanos) / 1e9, childCpuSeconds() - cpu);
            }
        }

        static Start start() {
            return new Start(System.nanoTime(), childCpuSeconds());
        }

        Took plus(Took other) {
            return new Took(wallSeconds + other.wallSeconds, cpuSeconds + other.cpuSeconds);
        }

        Took best(Took other) {
            return other.wallSeconds < wallSeconds ? other : this;
        }

        private static double childCpuSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after the name: state is field 3, cutime 16, cstime 17
                return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
    }

    /** The model's 720p tier: 16 fps, 720 wide, the margins a flat colour of the segment's own. */
    private static Path generation(FfmpegPrograms ffmpeg, Path dir, Path source, int height, int width, long first, long end,
                                   int frames, String name, int index) throws Exception {
        int genWidth = 720;
        int genHeight = height * genWidth / width / 2 * 2;
        String colour = List.of("0x3050A0", "0x405890", "0x3A4A98", "0x485088").get(index % 4);
        double stretch = (double) frames / GENERATION_FPS / ((end - first) / (double) SOURCE_FPS);
        return make(ffmpeg, dir, name, List.of("-i", source.toString(), "-vf",
                "trim=start_frame=" + first + ":end_frame=" + end + ",setpts=(PTS-STARTPTS)*" + stretch + ",fps=" + GENERATION_FPS
                        + ",scale=" + genWidth + ":" + genHeight + ",pad=" + genWidth + ":" + genWidth + ":0:(oh-ih)/2:color=" + colour,
                "-frames:v", Integer.toString(frames), "-an", "-c:v", "libopenh264", "-b:v", "4M"));
    }

    private static long bytes(List<SegmentPieces> pieces) throws IOException {
        long total = 0;
        for (SegmentPieces p : pieces) {
            for (Optional<Path> piece : List.of(p.head(), p.body(), p.tail())) {
                if (piece.isPresent()) {
                    total += Files.size(piece.get());
                }
            }
        }
        return total;
    }

    /** {@code ffmpeg -y args... dir/name}, quietly; the file made. */
    static Path make(FfmpegPrograms ffmpeg, Path dir, String name, List<String> args) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(ffmpeg.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y",
                "-loglevel", "error"));
        command.addAll(args);
        command.add(out.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(ffmpeg.environment());
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("ffmpeg failed making " + name + ": " + log);
        }
        return out;
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
