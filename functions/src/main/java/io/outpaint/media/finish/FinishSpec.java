package io.outpaint.media.finish;

import java.util.Objects;
import java.util.Optional;

/**
 * What the planner decided for one clip: the output canvas, where the source goes inside it, an
 * optional crop of the source's sides (when one pass cannot reach the target), and the encoder's
 * quality. The source rectangle is normally the (cropped) source at its own resolution; a
 * different size scales it, for canvases capped below the source's scale.
 */
public record FinishSpec(int canvasWidth, int canvasHeight, Rect source, Optional<Crop> crop, H264Quality quality) {

    /** A rectangle in pixels. */
    public record Rect(int x, int y, int width, int height) {
        public Rect {
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("a rectangle has x, y >= 0 and a positive size: " + this);
            }
        }
    }

    /** The columns of the source that are kept: from {@code x}, {@code width} wide. */
    public record Crop(int x, int width) {
        public Crop {
            if (x < 0 || width <= 0) {
                throw new IllegalArgumentException("a crop has x >= 0 and a positive width: x=" + x + " width=" + width);
            }
        }
    }

    public FinishSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(crop, "crop");
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
        return new FinishSpec(canvasWidth, canvasHeight, source, Optional.empty(), H264Quality.NEAR_LOSSLESS);
    }

    public FinishSpec withCrop(Crop keep) {
        return new FinishSpec(canvasWidth, canvasHeight, source, Optional.of(keep), quality);
    }

    public FinishSpec withQuality(H264Quality q) {
        return new FinishSpec(canvasWidth, canvasHeight, source, crop, q);
    }

    /** The sides of the source that meet generated margins, and so get a feathered seam. */
    public boolean seamLeft() { return source.x() > 0; }
    public boolean seamRight() { return source.x() + source.width() < canvasWidth; }
    public boolean seamTop() { return source.y() > 0; }
    public boolean seamBottom() { return source.y() + source.height() < canvasHeight; }
}
