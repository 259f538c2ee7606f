package io.outpaint.media.finish;

import java.util.Objects;
import java.util.Optional;

/**
 * What the planner decided for one clip: the output canvas, where the source goes inside it, an
 * optional crop of the source (when one pass cannot reach the target), the part of the generation
 * that covers the canvas, and the encoder's quality. The source rectangle is normally the (cropped)
 * source at its own resolution; a different size scales it, for canvases capped below the source's
 * scale.
 */
public record FinishSpec(int canvasWidth, int canvasHeight, Rect source, Optional<Crop> crop, Optional<Window> window,
                         H264Quality quality) {

    /** A rectangle in pixels. */
    public record Rect(int x, int y, int width, int height) {
        public Rect {
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("a rectangle has x, y >= 0 and a positive size: " + this);
            }
        }
    }

    /** The part of the source that is kept, in source pixels. */
    public record Crop(int x, int y, int width, int height) {
        public Crop {
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("a crop has x, y >= 0 and a positive size: " + this);
            }
        }
    }

    /**
     * The part of the model's canvas ({@code modelWidth x modelHeight}, in source pixels) that the output canvas
     * covers: the model frames the whole, uncropped source with margins rounded its own way, so the generation is
     * cut to this before it is scaled to the canvas, and its margins meet the source where they should.
     */
    public record Window(int modelWidth, int modelHeight, Rect part) {
        public Window {
            if (modelWidth <= 0 || modelHeight <= 0 || part.x() + part.width() > modelWidth || part.y() + part.height() > modelHeight) {
                throw new IllegalArgumentException("a window lies inside the model's canvas " + modelWidth + "x" + modelHeight + ": " + part);
            }
        }

        /** FFmpeg's crop of a generation of any size to this window, in proportion. */
        String filter() {
            return "crop=iw*" + part.width() + "/" + modelWidth + ":ih*" + part.height() + "/" + modelHeight
                    + ":iw*" + part.x() + "/" + modelWidth + ":ih*" + part.y() + "/" + modelHeight;
        }
    }

    public FinishSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(crop, "crop");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(quality, "quality");
        // yuv420p halves chroma in both directions: H.264 in 4:2:0 needs even sides
        if (canvasWidth <= 0 || canvasHeight <= 0 || canvasWidth % 2 != 0 || canvasHeight % 2 != 0) {
            throw new IllegalArgumentException("the canvas is positive and even: " + canvasWidth + "x" + canvasHeight);
        }
        if (source.x() + source.width() > canvasWidth || source.y() + source.height() > canvasHeight) {
            throw new IllegalArgumentException("the source rectangle " + source + " leaves the canvas "
                    + canvasWidth + "x" + canvasHeight);
        }
    }

    public static FinishSpec of(int canvasWidth, int canvasHeight, Rect source) {
        return new FinishSpec(canvasWidth, canvasHeight, source, Optional.empty(), Optional.empty(), H264Quality.NEAR_LOSSLESS);
    }

    public FinishSpec withCrop(Crop keep) {
        return new FinishSpec(canvasWidth, canvasHeight, source, Optional.of(keep), window, quality);
    }

    public FinishSpec withWindow(Window part) {
        return new FinishSpec(canvasWidth, canvasHeight, source, crop, Optional.of(part), quality);
    }

    public FinishSpec withQuality(H264Quality q) {
        return new FinishSpec(canvasWidth, canvasHeight, source, crop, window, q);
    }

    /** The sides of the source that meet generated margins, and so get a feathered seam. */
    public boolean seamLeft() { return source.x() > 0; }
    public boolean seamRight() { return source.x() + source.width() < canvasWidth; }
    public boolean seamTop() { return source.y() > 0; }
    public boolean seamBottom() { return source.y() + source.height() < canvasHeight; }
}
