package io.outpaint.media.finish;

import java.util.List;

/**
 * libopenh264's settings (the LGPL build has no libx264): rate control in {@code quality} mode aims
 * at {@code bitsPerPixel} bits per pixel per frame, and the QP bounds cap how far it may stray;
 * {@code qmax} wins over the bitrate, so a hard scene overshoots rather than blurs.
 */
public record H264Quality(double bitsPerPixel, int qmin, int qmax) {

    /**
     * 0.2 bits per pixel per frame (about 4.4 Mbit/s at 720p24, 10 at 1080p24), QP 10 to 22: a
     * 720p24 testsrc2 clip re-encoded so measures 49.6 dB PSNR; 0.1 bpp without the QP cap gave
     * 40.2 dB, the cap at 26 gave 46.1 (openh264's default rate control, 2 Mbit/s: 39.6).
     */
    public static final H264Quality NEAR_LOSSLESS = new H264Quality(0.2, 10, 22);

    public H264Quality {
        if (!(bitsPerPixel > 0 && bitsPerPixel <= 24)) {
            throw new IllegalArgumentException("bits per pixel in (0, 24]: " + bitsPerPixel);
        }
        if (qmin < 1 || qmax > 51 || qmin > qmax) {
            throw new IllegalArgumentException("1 <= qmin <= qmax <= 51: " + qmin + ", " + qmax);
        }
    }

    public long bitrate(int width, int height, Rational fps) {
        return Math.round((double) width * height * fps.value() * bitsPerPixel);
    }

    /** The encoder's arguments for a picture of this size and rate. */
    public List<String> encoderArgs(int width, int height, Rational fps) {
        return List.of("-c:v", "libopenh264", "-rc_mode", "quality",
                "-b:v", Long.toString(bitrate(width, height, fps)),
                "-qmin", Integer.toString(qmin), "-qmax", Integer.toString(qmax),
                "-pix_fmt", "yuv420p");
    }
}
