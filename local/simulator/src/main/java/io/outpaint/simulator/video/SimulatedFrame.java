package io.outpaint.simulator.video;

import java.util.Optional;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * The one picture a simulated result shows: the user's frame where the model keeps it, the
 * outpainted area filled with its mirrored edges, dimmed and tinted so nobody takes it for the
 * model's work, and a small "SIMULATED" mark in the corner.
 */
public final class SimulatedFrame {

    private SimulatedFrame() {}

    /**
     * A {@code width}x{@code height} picture with {@code source} scaled into {@code inset};
     * without a source frame (one the decoder could not read) the inset is a flat grey card.
     */
    public static Picture compose(Optional<Picture> source, int sourceWidth, int sourceHeight, int width, int height,
                                  Mp4Video.Inset inset) {
        Picture out = Picture.create(width, height, ColorSpace.YUV420J);
        Picture frame = source.orElse(null);
        for (int plane = 0; plane < 3; plane++) {
            int shift = plane == 0 ? 0 : 1;
            int pw = width >> shift;
            int ph = height >> shift;
            byte[] dst = out.getPlaneData(plane);
            for (int y = 0; y < ph; y++) {
                double v = ((double) (y << shift) - inset.top()) / Math.max(1, inset.height());
                boolean insideY = v >= 0 && v < 1;
                for (int x = 0; x < pw; x++) {
                    double u = ((double) (x << shift) - inset.left()) / Math.max(1, inset.width());
                    boolean inside = insideY && u >= 0 && u < 1;
                    int value = frame == null ? 0 : sample(frame, plane, mirror(u), mirror(v), sourceWidth, sourceHeight);
                    if (!inside) {
                        // the synthetic extension: lower contrast, and a violet cast on the chroma planes
                        value = plane == 0 ? value / 2 - 16 : value / 3 + (plane == 1 ? 24 : 20);
                    }
                    dst[y * pw + x] = (byte) Math.max(-128, Math.min(127, value));
                }
            }
        }
        Mark.draw(out, "SIMULATED");
        return out;
    }

    /** Folds a coordinate outside [0, 1) back into it, as a mirror at each edge would. */
    static double mirror(double t) {
        double period = t - 2 * Math.floor(t / 2);
        double folded = period < 1 ? period : 2 - period;
        return Math.min(Math.max(folded, 0), 0.999999);
    }

    private static int sample(Picture picture, int plane, double u, double v, int sourceWidth, int sourceHeight) {
        int shift = plane == 0 ? 0 : 1;
        int pw = picture.getPlaneWidth(plane);
        int x = (int) (u * (sourceWidth >> shift));
        int y = (int) (v * (sourceHeight >> shift));
        byte[] data = picture.getPlaneData(plane);
        return data[Math.min(y * pw + x, data.length - 1)];
    }
}
