package io.outpaint.media.finish;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The alpha of the original pixels laid over the generation: opaque inside, a linear grey ramp
 * over the last {@link #FEATHER} pixels of each side that meets a generated margin, so the colour
 * drift of the model's copy of the source does not show as a hard edge. Sides on the canvas
 * border stay opaque to the edge.
 */
final class SeamMask {

    /** Wide enough to hide a drift of a few levels, narrow enough to keep the original almost whole. */
    static final int FEATHER = 8;

    private SeamMask() {}

    static BufferedImage draw(FinishSpec spec) {
        int w = spec.source().width();
        int h = spec.source().height();
        int feather = Math.min(FEATHER, Math.min(w, h) / 4);
        BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = mask.getRaster();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            int vertical = Math.min(spec.seamTop() ? ramp(y, feather) : 255,
                    spec.seamBottom() ? ramp(h - 1 - y, feather) : 255);
            for (int x = 0; x < w; x++) {
                int horizontal = Math.min(spec.seamLeft() ? ramp(x, feather) : 255,
                        spec.seamRight() ? ramp(w - 1 - x, feather) : 255);
                row[x] = Math.min(vertical, horizontal);
            }
            raster.setPixels(0, y, w, 1, row);
        }
        return mask;
    }

    static Path write(FinishSpec spec, Path file) throws IOException {
        ImageIO.write(draw(spec), "png", file.toFile());
        return file;
    }

    /** The alpha at {@code d} pixels from a feathered edge: half a step at the edge, opaque past the band. */
    private static int ramp(int d, int feather) {
        if (feather == 0 || d >= feather) {
            return 255;
        }
        return (int) Math.round(255.0 * (d + 0.5) / feather);
    }
}
