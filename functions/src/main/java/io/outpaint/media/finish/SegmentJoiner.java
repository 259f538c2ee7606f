package io.outpaint.media.finish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Joins the finished segments of a long clip ({@link SegmentPieces}, from {@link SegmentFinisher}) into one output, as
 * {@link Finisher} writes a short clip's: each overlap is cross-faded (the tail of one segment into the head of the
 * next, linearly, frame by frame) and encoded with the bodies' encoder settings; the bodies and the overlaps are then
 * copied one after the other into one H.264 stream (every piece starts on an IDR and has the same parameter sets),
 * the source's whole sound is laid back as {@link AudioHandling} says, and the MP4 gets its index first, a poster, its
 * size and its SHA-256. Only the overlaps are encoded here, so the Join's work grows with the number of segments, not
 * with the pictures.
 *
 * <p>The centre of an overlap is the source's pixels in both segments, so the cross-fade leaves it the source's; only
 * the generated margins (and the seam's feather) blend.
 */
public final class SegmentJoiner {

    /** What becomes of the frames two segments share. */
    public enum Overlap {
        /** From all of the earlier segment to all of the later one, at the pace {@link FadePace} finds for these frames. */
        CROSS_FADE,
        /** From all of the earlier segment to all of the later one, by the same share at every frame. */
        EVEN_CROSS_FADE,
        /** The earlier segment's first half, the later one's second: the seam a missing cross-fade leaves. */
        HARD_CUT
    }

    private final FfmpegProcess process;
    private final MediaProbe probe;

    public SegmentJoiner(FfmpegPrograms programs, Duration timeout) {
        this.process = new FfmpegProcess(programs, timeout);
        this.probe = new MediaProbe(process);
    }

    public Finished join(Path source, List<SegmentPieces> pieces, FinishSpec spec, Path outDir) {
        return join(source, pieces, spec, outDir, Overlap.CROSS_FADE);
    }

    /** The source's frames, each from its segment's pieces (overlaps as {@code overlap} says), with the source's sound. */
    public Finished join(Path source, List<SegmentPieces> pieces, FinishSpec spec, Path outDir, Overlap overlap) {
        MediaInfo in = probe.probe(source);
        checkCovers(pieces, in.frames());
        AudioHandling audio = AudioHandling.of(in.audio());
        List<Path> made = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            // the bodies first: the cross-fades decode them, and would only fail on other pictures' sizes
            checkOneParameterSet(pieces.stream().flatMap(p -> p.body().stream()).toList());
            List<Path> run = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                SegmentPieces piece = pieces.get(i);
                piece.body().ifPresent(run::add);
                if (piece.tail().isPresent()) {
                    Path blend = outDir.resolve("overlap-" + i + ".mp4");
                    made.add(blend);
                    Mix mix = mix(piece, pieces.get(i + 1), spec, overlap, outDir);
                    process.ffmpeg("cross-fade " + i + " into " + (i + 1), blendCommand(piece.tail().get(), pieces.get(i + 1).head().get(),
                            mix, in.fps(), spec, blend));
                    run.add(blend);
                }
            }
            checkOneParameterSet(run);
            Path list = outDir.resolve("pieces.txt");
            made.add(list);
            Files.writeString(list, concatList(run), StandardCharsets.UTF_8);
            Path video = outDir.resolve("finished.mp4");
            process.ffmpeg("join", joinCommand(source, list, video, audio));
            MediaInfo out = probe.probe(video);
            if (out.frames() != in.frames() || !out.fps().equals(in.fps())) {
                throw new FinishFailedException("join: the output has " + out.frames() + " frames at " + out.fps() + " fps, the source "
                        + in.frames() + " at " + in.fps());
            }
            Path poster = Finisher.poster(process, video, out, outDir.resolve("poster.jpg"));
            String audioCodec = out.audio().map(MediaInfo.Audio::codec).orElse("none");
            return new Finished(video, poster, out.width(), out.height(), spec.source(), out.durationSeconds(), out.fps(),
                    out.frames(), audioCodec, audio, Files.size(video), Finisher.sha256(video));
        } catch (IOException e) {
            throw new FinishFailedException("join: " + e.getMessage(), e);
        } finally {
            made.forEach(SegmentJoiner::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the join's own folder, which its caller empties: nothing is lost
        }
    }

    /** The segments in order, each overlap declared alike on both sides, every frame of the source covered once. */
    static void checkCovers(List<SegmentPieces> pieces, long sourceFrames) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("pieces: a join needs at least one segment");
        }
        for (int i = 0; i < pieces.size(); i++) {
            SegmentCut cut = pieces.get(i).cut();
            if (cut.index() != i) {
                throw new IllegalArgumentException("pieces: segment " + cut.index() + " is at place " + i + "; segments come in order from 0");
            }
            SegmentCut previous = i == 0 ? null : pieces.get(i - 1).cut();
            long startsAt = previous == null ? 0 : previous.endFrame() - previous.tailFrames();
            long sharedBefore = previous == null ? 0 : previous.tailFrames();
            if (cut.firstFrame() != startsAt || cut.headFrames() != sharedBefore) {
                throw new IllegalArgumentException("pieces: segment " + i + " starts at frame " + cut.firstFrame() + " sharing "
                        + cut.headFrames() + " frames (overlapWithPrevious); after the one before it, it starts at " + startsAt
                        + " sharing " + sharedBefore);
            }
        }
        SegmentCut last = pieces.get(pieces.size() - 1).cut();
        if (last.tailFrames() != 0 || last.endFrame() != sourceFrames) {
            throw new IllegalArgumentException("pieces: the last segment ends at frame " + last.endFrame() + " sharing "
                    + last.tailFrames() + " frames (overlapWithNext); the source has " + sourceFrames + " frames and nothing follows");
        }
    }

    /**
     * How an overlap's frames are mixed: frame k takes {@code weights[k]} {@code levels}ths of the later segment and the
     * rest of the earlier one.
     */
    record Mix(int[] weights, int levels) {
        Mix {
            for (int w : weights) {
                if (w < 0 || w > levels) {
                    throw new IllegalArgumentException("a mix's weights are 0 to " + levels + ": " + java.util.Arrays.toString(weights));
                }
            }
        }

        /** The weights {@code overlap} gives {@code frames} frames when it does not look at them (all but the paced fade). */
        static Mix of(long frames, Overlap overlap) {
            int n = Math.toIntExact(frames);
            int[] weights = new int[n];
            for (int k = 0; k < n; k++) {
                weights[k] = switch (overlap) {
                    case EVEN_CROSS_FADE, CROSS_FADE -> k + 1;
                    case HARD_CUT -> k < n / 2 ? 0 : 1;
                };
            }
            return new Mix(weights, overlap == Overlap.HARD_CUT ? 1 : n + 1);
        }

        int frames() {
            return weights.length;
        }
    }

    /** The mix of the overlap {@code earlier}'s tail shares with {@code later}'s head, as {@code overlap} says. */
    private Mix mix(SegmentPieces earlier, SegmentPieces later, FinishSpec spec, Overlap overlap, Path outDir) throws IOException {
        long frames = earlier.cut().tailFrames();
        if (overlap != Overlap.CROSS_FADE) {
            return Mix.of(frames, overlap);
        }
        FadePace.Sampler sampler = FadePace.sampler(spec.canvasWidth(), spec.canvasHeight(), spec.source(), Math.toIntExact(frames));
        Path scratch = outDir.resolve("pace.yuv");
        try {
            // each frame sampled as it is read: no picture is kept (a 4096-pixel canvas is 25 MB a frame)
            List<float[]> tail = sampled(decode(earlier.tail().get(), List.of(), List.of("-f", "rawvideo"), scratch), sampler);
            List<float[]> head = sampled(decode(later.head().get(), List.of(), List.of("-f", "rawvideo"), scratch), sampler);
            if (tail.size() != frames || head.size() != frames) {
                throw new FinishFailedException("cross-fade: segment " + earlier.cut().index() + "'s tail has " + tail.size()
                        + " frames and the next head " + head.size() + ", where they share " + frames);
            }
            // the earlier body's last frame, decoded from its last second on (its last GOP); the later body's first
            Optional<float[]> before = earlier.body().isEmpty() ? Optional.empty() : Optional.of(last(sampled(decode(earlier.body().get(),
                    List.of("-sseof", "-1"), List.of("-update", "1", "-f", "image2", "-c:v", "rawvideo"), scratch), sampler)));
            Optional<float[]> after = later.body().isEmpty() ? Optional.empty() : Optional.of(sampled(decode(later.body().get(),
                    List.of(), List.of("-frames:v", "1", "-f", "rawvideo"), scratch), sampler).get(0));
            int[] weights = FadePace.weights(before, tail, head, after);
            return new Mix(weights, FadePace.levels(weights.length));
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static float[] last(List<float[]> frames) {
        return frames.get(frames.size() - 1);
    }

    /** {@code video}'s frames (after {@code seek}, as {@code output} writes them) decoded to raw yuv420p in {@code scratch}. */
    private Path decode(Path video, List<String> seek, List<String> output, Path scratch) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        args.addAll(seek);
        args.addAll(List.of("-i", video.toString(), "-map", "0:v:0"));
        args.addAll(output);
        args.addAll(List.of("-pix_fmt", "yuv420p", scratch.toString()));
        process.ffmpeg("decode " + video.getFileName() + " to pace the cross-fade", args);
        return scratch;
    }

    /** Each frame of a raw yuv420p file, sampled, read one frame at a time. */
    private static List<float[]> sampled(Path raw, FadePace.Sampler sampler) throws IOException {
        int size = sampler.frameBytes();
        long bytes = Files.size(raw);
        if (bytes == 0 || bytes % size != 0) {
            throw new FinishFailedException("cross-fade: " + bytes + " bytes are not whole " + sampler.width() + "x" + sampler.height()
                    + " frames");
        }
        List<float[]> out = new ArrayList<>();
        byte[] frame = new byte[size];
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(raw), 1 << 20))) {
            for (long at = 0; at < bytes; at += size) {
                in.readFully(frame);
                out.add(sampler.sample(frame));
            }
        }
        return out;
    }

    /**
     * Overlap frame {@code k} as {@code lut2} computes it from the earlier segment's pixel {@code x} and the later one's
     * {@code y}: integer sums and one division, rounded, so equal pixels (the source's, in the centre) stay exactly equal.
     */
    static String mixExpression(Mix mix, int k) {
        int w = mix.weights()[k];
        int levels = mix.levels();
        return w == 0 ? "x" : w == levels ? "y" : "(x*" + (levels - w) + "+y*" + w + ")/" + levels + "+0.5";
    }

    /**
     * The overlap's frames one by one, each pair mixed by its own lookup table (a table of 256 x 256 entries per plane,
     * where an expression per pixel would be evaluated millions of times a frame), then put back in order at the rate.
     */
    static String mixFilter(Mix mix, Rational fps) {
        long frames = mix.frames();
        StringBuilder earlier = new StringBuilder("[0:v]split=" + frames);
        StringBuilder later = new StringBuilder(";[1:v]split=" + frames);
        StringBuilder mixes = new StringBuilder();
        StringBuilder mixed = new StringBuilder(";");
        for (int k = 0; k < frames; k++) {
            earlier.append("[a").append(k).append(']');
            later.append("[b").append(k).append(']');
            String one = "trim=start_frame=" + k + ":end_frame=" + (k + 1) + ",setpts=PTS-STARTPTS";
            String expression = mixExpression(mix, k);
            mixes.append(";[a").append(k).append(']').append(one).append("[x").append(k).append("];[b").append(k).append(']')
                    .append(one).append("[y").append(k).append("];[x").append(k).append("][y").append(k).append("]lut2=c0=")
                    .append(expression).append(":c1=").append(expression).append(":c2=").append(expression).append("[m").append(k).append(']');
            mixed.append("[m").append(k).append(']');
        }
        return earlier.toString() + later + mixes + mixed + "concat=n=" + frames + ":v=1:a=0,setpts=N*" + fps.den() + "/("
                + fps.num() + "*TB)[v]";
    }

    static List<String> blendCommand(Path tail, Path head, Mix mix, Rational fps, FinishSpec spec, Path out) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-i", tail.toString(), "-i", head.toString(), "-filter_complex", mixFilter(mix, fps), "-map", "[v]"));
        args.addAll(spec.quality().encoderArgs(spec.canvasWidth(), spec.canvasHeight(), fps));
        // every overlap frame on its own (an IDR each): predicted from the frame before, the encoder would skip the slow,
        // even change of colour the two segments' margins make there, and the next body's first frame would jump
        args.addAll(List.of("-g", "1", "-r", fps.toString(), "-f", "mp4", out.toString()));
        return args;
    }

    static List<String> joinCommand(Path source, Path list, Path video, AudioHandling audio) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-i", source.toString(), "-f", "concat", "-safe", "0", "-i", list.toString(), "-map", "1:v:0", "-c:v", "copy"));
        args.addAll(audio.args());
        args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", video.toString()));
        return args;
    }

    /** The concat demuxer's script: one quoted file a line, a quote written as {@code '\''}. */
    static String concatList(List<Path> files) {
        StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
        for (Path file : files) {
            list.append("file '").append(file.toAbsolutePath().toString().replace("'", "'\\''")).append("'\n");
        }
        return list.toString();
    }

    /** Copied one after the other, the pieces must share the first one's SPS and PPS, which the MP4 states once. */
    private void checkOneParameterSet(List<Path> run) {
        Set<String> seen = new HashSet<>();
        for (Path piece : run) {
            seen.add(process.ffprobe("parameter sets of " + piece.getFileName(), List.of("-v", "error", "-select_streams", "v:0",
                    "-show_data_hash", "MD5", "-show_entries", "stream=codec_name,width,height,pix_fmt,extradata_hash", "-of", "csv=p=0",
                    piece.toString())).trim());
        }
        if (seen.size() > 1) {
            throw new FinishFailedException("join: the pieces were encoded differently and cannot be copied into one stream: " + seen);
        }
    }
}
