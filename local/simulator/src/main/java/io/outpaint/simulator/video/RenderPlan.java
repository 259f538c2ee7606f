package io.outpaint.simulator.video;

import java.util.List;

/**
 * A simulated result as ffmpeg makes it from the input video: each input frame scaled into {@code source} (the
 * rectangle where the model keeps the user's pixels, untouched), the margins filled from the frame itself (mirrored at
 * the source's edges, blurred, dimmed and tinted per generation), and the SIMULATED mark in a corner of the margins.
 *
 * <p>Time: output frame {@code i} shows the input at {@code i / fps} seconds, as the model reads the input's first
 * {@code frames / fps} seconds at its own rate; with {@code frameForFrame} (matchInputNumFrames) output frame {@code i}
 * is input frame {@code i}, re-timed. An input shorter than the output holds its last frame.
 */
public record RenderPlan(int width, int height, Mp4Video.Inset source, int frames, int fps, boolean frameForFrame, Tint tint) {

    static final String MARK = "SIMULATED";
    private static final int MARGIN_REDUCTION = 4;

    /** Where the mark goes, its top left corner and its letters' pixel size. */
    public record MarkPlace(int x, int y, int scale) {}

    public RenderPlan {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("frame size must be even and at least 16x16: " + width + "x" + height);
        }
        if (source.width() < 1 || source.height() < 1 || source.left() < 0 || source.top() < 0
                || source.left() + source.width() > width || source.top() + source.height() > height) {
            throw new IllegalArgumentException("the source " + source + " must lie inside the " + width + "x" + height + " frame");
        }
        if (frames < 1 || fps < 1) {
            throw new IllegalArgumentException("frames and fps must be positive");
        }
    }

    /** The filter graph: input 0 is the video, input 1 the mark's still image; the result is labelled {@code [out]}. */
    public String filterGraph() {
        MarkPlace mark = markPlace();
        Box small = reduced();
        return String.join(";",
                "[0:v]" + timing() + ",split=2[frame][thumb]",
                "[frame]scale=" + source.width() + ":" + source.height() + ":flags=bicubic,format=yuv444p[source]",
                "[thumb]scale=" + small.sourceWidth() + ":" + small.sourceHeight() + ",format=yuv444p," + mirroredEdges(small)
                        + ",gblur=sigma=" + Math.max(1, height / 60 / MARGIN_REDUCTION) + "," + dimAndTint()
                        + ",scale=" + width + ":" + height + ":flags=bilinear[margins]",
                // at 4:4:4, overlay puts the source at its exact (possibly odd) offset; at 4:2:0 it would round it
                "[margins][source]overlay=" + source.left() + ":" + source.top() + ":format=yuv444[composed]",
                "[composed][1:v]overlay=" + mark.x() + ":" + mark.y() + ":format=yuv444,format=yuv420p[out]");
    }

    /**
     * The first corner (top left, top right, bottom left, bottom right) where the mark fits outside the source, at
     * the largest letter size that fits somewhere; top left at the smallest size when the margins are too thin.
     */
    public MarkPlace markPlace() {
        for (int scale = Mark.scaleFor(height); scale >= 1; scale--) {
            Mark.Raster box = Mark.raster(MARK, scale);
            int pad = Mark.inset(scale);
            for (int[] corner : List.of(new int[] {pad, pad}, new int[] {width - pad - box.width(), pad},
                    new int[] {pad, height - pad - box.height()},
                    new int[] {width - pad - box.width(), height - pad - box.height()})) {
                if (corner[0] >= 0 && corner[1] >= 0 && !overlapsSource(corner[0], corner[1], box.width(), box.height())) {
                    return new MarkPlace(corner[0], corner[1], scale);
                }
            }
        }
        return new MarkPlace(Mark.inset(1), Mark.inset(1), 1);
    }

    /** The mark's image for {@link #markPlace()}, as a PGM still. */
    public byte[] markImage() {
        return Mark.raster(MARK, markPlace().scale()).pgm();
    }

    /** A quarter bit per pixel per frame (3.7 Mbit/s at 1280x720, 16 fps): libopenh264 keeps the source area near 40 dB. */
    public long bitsPerSecond() {
        return (long) width * height * fps / 4;
    }

    private boolean overlapsSource(int x, int y, int w, int h) {
        return x < source.left() + source.width() && source.left() < x + w
                && y < source.top() + source.height() && source.top() < y + h;
    }

    private String timing() {
        String start = frameForFrame ? "setpts=N/(" + fps + "*TB)" : "setpts=PTS-STARTPTS";
        return start + ",fps=" + fps + ",tpad=stop=-1:stop_mode=clone";
    }

    /** A frame and the source's place in it. */
    record Box(int width, int height, int left, int top, int sourceWidth, int sourceHeight) {}

    /**
     * The frame at a quarter of the output size, where the margins are made: they are blurred anyway, and there the
     * mirror, blur and tint cost a sixteenth. The source's full-size pixels are laid over them afterwards.
     */
    Box reduced() {
        int sourceWidth = Math.max(1, Math.round(source.width() / (float) MARGIN_REDUCTION));
        int sourceHeight = Math.max(1, Math.round(source.height() / (float) MARGIN_REDUCTION));
        int left = Math.round(source.left() / (float) MARGIN_REDUCTION);
        int top = Math.round(source.top() / (float) MARGIN_REDUCTION);
        return new Box(Math.max(left + sourceWidth, Math.round(width / (float) MARGIN_REDUCTION)),
                Math.max(top + sourceHeight, Math.round(height / (float) MARGIN_REDUCTION)), left, top, sourceWidth, sourceHeight);
    }

    /**
     * Pads the frame to the box and mirrors it into the margins. A mirror reaches at most one source width (height)
     * out, so any margin wider than that (expandRatio near 1, plus the canvas's rounding) is smeared.
     */
    static String mirroredEdges(Box box) {
        int left = box.left();
        int top = box.top();
        int right = box.width() - left - box.sourceWidth();
        int bottom = box.height() - top - box.sourceHeight();
        int l = Math.min(left, box.sourceWidth());
        int r = Math.min(right, box.sourceWidth());
        int t = Math.min(top, box.sourceHeight());
        int b = Math.min(bottom, box.sourceHeight());
        String mirrored = "pad=" + (box.sourceWidth() + l + r) + ":" + (box.sourceHeight() + t + b) + ":" + l + ":" + t
                + ",fillborders=left=" + l + ":right=" + r + ":top=" + t + ":bottom=" + b + ":mode=mirror";
        if (l == left && r == right && t == top && b == bottom) {
            return mirrored;
        }
        return mirrored + ",pad=" + box.width() + ":" + box.height() + ":" + (left - l) + ":" + (top - t)
                + ",fillborders=left=" + (left - l) + ":right=" + (right - r) + ":top=" + (top - t)
                + ":bottom=" + (bottom - b) + ":mode=smear";
    }

    /** Half the contrast, and the chroma pulled halfway to the tint: plainly not the model's work, plainly per seed. */
    private String dimAndTint() {
        return "lutyuv=y=val/2+56:u=(val+" + tint.cb() + ")/2:v=(val+" + tint.cr() + ")/2";
    }
}
