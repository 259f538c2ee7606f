package io.outpaint.media.finish;

/**
 * What one finishing Lambda can do, checked before FFmpeg starts so that a clip too large is
 * refused with the limit named instead of timing out after minutes of billed work.
 *
 * @param maxLongSide     the output canvas's longest side (4K: the cap, and what players decode)
 * @param maxDurationSeconds the input's duration
 * @param maxPixelFrames  canvas pixels x output frames: the encode's work, which sets its time
 * @param maxTmpBytes     input + generation + an estimate of the output, all on /tmp together
 */
public record FinishLimits(int maxLongSide, double maxDurationSeconds, long maxPixelFrames, long maxTmpBytes) {

    /**
     * One finishing Lambda (15 min timeout, up to 10 GiB of /tmp): 4K on the long side; 5 minutes of
     * input (longer clips are split into segment jobs); 12 billion pixel-frames, which is 10 minutes
     * at 20 million pixel-frames a second, a third of what `bench finish` measured on two shared
     * cores (53 at 720p, 64 at 1080p), leaving 5 minutes for the copies in and out; 8 GiB of /tmp,
     * under the 10 GiB maximum with room for JavaCPP's cache (about 150 MB).
     */
    public static final FinishLimits LAMBDA = new FinishLimits(4096, 300, 12_000_000_000L, 8L << 30);

    public FinishLimits {
        if (maxLongSide <= 0 || maxDurationSeconds <= 0 || maxPixelFrames <= 0 || maxTmpBytes <= 0) {
            throw new IllegalArgumentException("every limit is positive: " + this);
        }
    }

    public void check(MediaInfo input, FinishSpec spec, long inputBytes) {
        checkCanvas(spec.canvasWidth(), spec.canvasHeight());
        if (input.durationSeconds() > maxDurationSeconds) {
            throw new FinishRefusedException("maxDurationSeconds", String.format(java.util.Locale.ROOT,
                    "the input lasts %.1f s, the limit is %.0f s", input.durationSeconds(), maxDurationSeconds));
        }
        long pixelFrames = (long) spec.canvasWidth() * spec.canvasHeight() * input.frames();
        if (pixelFrames > maxPixelFrames) {
            throw new FinishRefusedException("maxPixelFrames", "the output is " + pixelFrames
                    + " pixel-frames (canvas x frames), the limit is " + maxPixelFrames);
        }
        long output = spec.quality().bitrate(spec.canvasWidth(), spec.canvasHeight(), input.fps())
                / 8 * (long) Math.ceil(input.durationSeconds()) * 2; // qmax may double the target
        long tmp = inputBytes + output;
        if (tmp > maxTmpBytes) {
            throw new FinishRefusedException("maxTmpBytes", "the clips and the output need about " + tmp
                    + " bytes of /tmp, the limit is " + maxTmpBytes);
        }
    }

    /** What is known before the clips are fetched: the canvas's size. */
    public void checkCanvas(int width, int height) {
        if (Math.max(width, height) > maxLongSide) {
            throw new FinishRefusedException("maxLongSide", "the canvas " + width + "x" + height
                    + " is longer than the limit of " + maxLongSide + " px");
        }
    }

    /** What is known before the clips are fetched: their sizes, which alone must fit on /tmp. */
    public void checkClips(long clipBytes) {
        if (clipBytes > maxTmpBytes) {
            throw new FinishRefusedException("maxTmpBytes", "the input and the generation are " + clipBytes
                    + " bytes, more than the limit of " + maxTmpBytes + " bytes of /tmp");
        }
    }
}
