package io.outpaint.simulator.video;

import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/** A seaside street in flat colours, so the sample's place inside a simulated result is plain to see. */
final class SampleScene {

    private SampleScene() {}

    static Picture paint(int width, int height) {
        Picture picture = Picture.create(width, height, ColorSpace.YUV420J);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                set(picture, x, y, colour(x / (double) width, y / (double) height));
            }
        }
        return picture;
    }

    /** RGB of the scene at (u, v), both 0..1. */
    private static int[] colour(double u, double v) {
        double sunDistance = Math.hypot((u - 0.78) * 16 / 9, v - 0.18);
        boolean house = v > 0.38 && v < 0.72 && (u < 0.16 || (u > 0.22 && u < 0.34));
        if (house) {
            boolean window = ((int) (u * 50) % 3 == 1) && ((int) (v * 30) % 3 == 1);
            return window ? new int[] {40, 60, 90} : u < 0.16 ? new int[] {230, 200, 150} : new int[] {210, 110, 90};
        }
        if (v < 0.45) {
            return sunDistance < 0.09 ? new int[] {255, 220, 90} : new int[] {(int) (110 + 100 * v), (int) (170 + 100 * v), 240};
        }
        if (v < 0.72) {
            return new int[] {30, (int) (110 + 80 * (v - 0.45)), 170};
        }
        return new int[] {225, 200, 150};
    }

    private static void set(Picture picture, int x, int y, int[] rgb) {
        // BT.601 full range, stored as JCodec does: samples minus 128
        double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        picture.getPlaneData(0)[y * picture.getWidth() + x] = (byte) (Math.round(luma) - 128);
        if (x % 2 == 0 && y % 2 == 0) {
            int i = (y / 2) * (picture.getWidth() / 2) + x / 2;
            picture.getPlaneData(1)[i] = (byte) Math.max(-128, Math.min(127, Math.round(0.564 * (rgb[2] - luma))));
            picture.getPlaneData(2)[i] = (byte) Math.max(-128, Math.min(127, Math.round(0.713 * (rgb[0] - luma))));
        }
    }
}
