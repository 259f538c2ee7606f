package io.outpaint.media.finish;

import io.outpaint.segments.SegmentPlan;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether a joined clip shows where its segments meet. The generated margins' frame-to-frame difference (the mean
 * absolute difference of their RGB samples between a frame and the one before) is taken at each boundary, over the
 * frames the two segments share and the steps into and out of them: a missing cross-fade shows there as one jump.
 * It is set against the same measure inside the two segments that meet there: the median, over every run of as many
 * consecutive frames within their own frames, of that run's largest difference. Like is compared with like because a
 * margin's differences are uneven from frame to frame: a 16 fps generation conformed to 24 fps repeats every third
 * frame, so every third difference is zero, and a run's largest is about twice the median difference; and taken from
 * the two neighbouring segments, the reference follows the content's pace along a long clip. A ratio near 1 is a
 * boundary the margins cross as they move anywhere else; a seam stands out above it. Used by the tests and
 * {@code bench join}.
 */
public final class SeamMetric {

    /** Output frames {@code [from, to)} that two segments share: from the later segment's first frame, its overlap long. */
    public record Overlap(long from, long to) {
        public Overlap {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("an overlap is frames [from, to) with 1 <= from <= to: [" + from + ", " + to + ")");
            }
        }
    }

    /**
     * @param boundaryRatios each boundary's largest difference over its reference, in order
     * @param boundaryPeaks  each boundary's largest difference
     * @param references     each boundary's reference: the median largest difference of as long runs in its two segments
     * @param differences    the difference of frame k from frame k - 1 at index k - 1
     */
    public record Result(List<Double> boundaryRatios, List<Double> boundaryPeaks, List<Double> references, double[] differences) {
        /** The largest of the boundary ratios. */
        public double worst() {
            return boundaryRatios.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    private SeamMetric() {}

    /** Where the plan's segments overlap, in output frames (which are the source's). */
    public static List<Overlap> overlaps(SegmentPlan plan) {
        return overlaps(SegmentCut.of(plan));
    }

    public static List<Overlap> overlaps(List<SegmentCut> cuts) {
        return cuts.stream().skip(1).map(c -> new Overlap(c.firstFrame(), c.firstFrame() + c.headFrames())).toList();
    }

    /** Measures {@code video}, whose margins are everything outside {@code source}, at {@code overlaps} (in order). */
    public static Result measure(FfmpegPrograms programs, Path video, FinishSpec.Rect source, List<Overlap> overlaps) {
        MediaInfo info = MediaProbe.using(programs, Duration.ofMinutes(1)).probe(video);
        double[] differences = differences(programs, video, new Margins(info.width(), info.height(), source));
        return compare(differences, overlaps, video.getFileName().toString());
    }

    /** The ratios from the differences ({@code differences[k - 1]} between frames k - 1 and k). */
    static Result compare(double[] differences, List<Overlap> overlaps, String name) {
        List<Double> ratios = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        List<Double> references = new ArrayList<>();
        for (int b = 0; b < overlaps.size(); b++) {
            // steps k from `from` (into the shared frames) to `to` (out of them), each at differences[k - 1]
            int first = (int) overlaps.get(b).from();
            int last = (int) Math.min(overlaps.get(b).to(), differences.length);
            if (first > last || (b > 0 && overlaps.get(b - 1).to() >= first)) {
                throw new IllegalArgumentException("overlaps: [" + overlaps.get(b).from() + ", " + overlaps.get(b).to() + ") is not after the"
                        + " one before it, or past the " + (differences.length + 1) + " frames of " + name);
            }
            int run = last - first + 1;
            double peak = max(differences, first, last);
            // the two segments' own frames: from past the previous boundary to short of the next
            int lowest = b == 0 ? 1 : (int) overlaps.get(b - 1).to() + 1;
            int highest = b + 1 == overlaps.size() ? differences.length : (int) overlaps.get(b + 1).from() - 1;
            List<Double> runPeaks = new ArrayList<>();
            for (int k = lowest; k + run - 1 <= highest; k++) {
                if (k + run - 1 < first || k > last) {
                    runPeaks.add(max(differences, k, k + run - 1));
                }
            }
            if (runPeaks.isEmpty()) {
                throw new IllegalArgumentException("overlaps: the segments either side of frame " + first + " of " + name
                        + " have no run of " + run + " frames of their own to compare with");
            }
            double reference = median(runPeaks.stream().mapToDouble(Double::doubleValue).toArray());
            peaks.add(peak);
            references.add(reference);
            ratios.add(reference == 0 ? (peak == 0 ? 1 : Double.POSITIVE_INFINITY) : peak / reference);
        }
        return new Result(ratios, peaks, references, differences);
    }

    /** The largest of steps {@code k} from {@code first} to {@code last}, each at {@code differences[k - 1]}. */
    private static double max(double[] differences, int first, int last) {
        double max = 0;
        for (int k = first; k <= last; k++) {
            max = Math.max(max, differences[k - 1]);
        }
        return max;
    }

    /** Frame k's difference from frame k - 1 over the margins, for k from 1, decoding the video once as RGB. */
    static double[] differences(FfmpegPrograms programs, Path video, Margins margins) {
        ProcessBuilder builder = new ProcessBuilder(programs.ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-i", video.toString(), "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        builder.environment().putAll(programs.environment());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        List<Double> out = new ArrayList<>();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FinishFailedException("seam metric: could not start ffmpeg: " + e.getMessage(), e);
        }
        try (InputStream stdout = process.getInputStream()) {
            process.getOutputStream().close();
            DataInputStream frames = new DataInputStream(new java.io.BufferedInputStream(stdout, 1 << 20));
            byte[] previous = new byte[margins.width() * margins.height() * 3];
            byte[] current = new byte[previous.length];
            boolean first = true;
            while (true) {
                try {
                    frames.readFully(current);
                } catch (EOFException end) {
                    break;
                }
                if (!first) {
                    out.add(margins.meanAbsoluteDifference(previous, current));
                }
                first = false;
                byte[] swap = previous;
                previous = current;
                current = swap;
            }
            if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new FinishFailedException("seam metric: ffmpeg could not decode " + video.getFileName());
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new FinishFailedException("seam metric: reading " + video.getFileName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FinishFailedException("seam metric: interrupted", e);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** The canvas outside the source rectangle, row by row. */
    record Margins(int width, int height, FinishSpec.Rect source) {
        Margins {
            if (source.x() + source.width() > width || source.y() + source.height() > height) {
                throw new IllegalArgumentException("source: the rectangle " + source + " leaves the " + width + "x" + height + " picture");
            }
            if (source.width() == width && source.height() == height) {
                throw new IllegalArgumentException("source: the rectangle " + source + " is the whole picture, which has no margin");
            }
        }

        double meanAbsoluteDifference(byte[] a, byte[] b) {
            long sum = 0;
            long samples = 0;
            int right = source.x() + source.width();
            for (int y = 0; y < height; y++) {
                int row = y * width * 3;
                if (y < source.y() || y >= source.y() + source.height()) {
                    sum += span(a, b, row, row + width * 3);
                    samples += width * 3L;
                } else {
                    sum += span(a, b, row, row + source.x() * 3) + span(a, b, row + right * 3, row + width * 3);
                    samples += (long) (width - source.width()) * 3;
                }
            }
            return (double) sum / samples;
        }

        private static long span(byte[] a, byte[] b, int from, int to) {
            long sum = 0;
            for (int i = from; i < to; i++) {
                sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            }
            return sum;
        }
    }
}
