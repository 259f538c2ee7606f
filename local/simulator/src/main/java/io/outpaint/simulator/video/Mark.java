package io.outpaint.simulator.video;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.jcodec.common.model.Picture;

/** A few capital letters in a 5x7 pixel font, drawn in white on a dark box: the "simulated" mark. */
final class Mark {

    private static final Map<Character, String> GLYPHS = Map.of(
            'S', "01111100001000001110000010000111110",
            'I', "11111001000010000100001000010011111",
            'M', "10001110111010110101100011000110001",
            'U', "10001100011000110001100011000101110",
            'L', "10000100001000010000100001000011111",
            'A', "01110100011000111111100011000110001",
            'T', "11111001000010000100001000010000100",
            'E', "11111100001000011110100001000011111",
            'D', "11110100011000110001100011000111110");

    private Mark() {}

    /** The mark's box, as 8-bit full-range luma row by row: a dark box, the letters in white. */
    record Raster(int width, int height, byte[] luma) {

        /** The raster as a binary PGM image, a format ffmpeg reads as a still input. */
        byte[] pgm() {
            byte[] header = ("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
            byte[] file = Arrays.copyOf(header, header.length + luma.length);
            System.arraycopy(luma, 0, file, header.length, luma.length);
            return file;
        }
    }

    /** The pixel size of the mark's letters in a frame {@code frameHeight} tall: about a fortieth of the frame. */
    static int scaleFor(int frameHeight) {
        return Math.max(1, frameHeight / 160);
    }

    /** How far the mark sits from the frame's edges at {@code scale}. */
    static int inset(int scale) {
        return 4 * scale;
    }

    /** The box with {@code text} drawn at {@code scale}. */
    static Raster raster(String text, int scale) {
        int width = (text.length() * 6 + 1) * scale + 2 * scale;
        int height = 9 * scale;
        byte[] luma = new byte[width * height];
        Arrays.fill(luma, (byte) 28);
        for (int i = 0; i < text.length(); i++) {
            String glyph = GLYPHS.getOrDefault(text.charAt(i), "");
            for (int bit = 0; bit < glyph.length(); bit++) {
                if (glyph.charAt(bit) != '1') {
                    continue;
                }
                int gx = (2 + i * 6 + bit % 5) * scale;
                int gy = (1 + bit / 5) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale && gx + dx < width; dx++) {
                        luma[(gy + dy) * width + gx + dx] = (byte) 238;
                    }
                }
            }
        }
        return new Raster(width, height, luma);
    }

    /** Draws {@code text} in the top left corner, scaled to about a fortieth of the frame height. */
    static void draw(Picture picture, String text) {
        int scale = scaleFor(picture.getHeight());
        int margin = inset(scale);
        Raster raster = raster(text, scale);
        byte[] luma = picture.getPlaneData(0);
        int width = picture.getPlaneWidth(0);
        for (int y = 0; y < raster.height() && margin + y < picture.getHeight(); y++) {
            for (int x = 0; x < raster.width() && margin + x < width; x++) {
                // JCodec stores 8-bit samples as signed bytes centred on 0
                luma[(margin + y) * width + margin + x] = (byte) ((raster.luma()[y * raster.width() + x] & 0xff) - 128);
            }
        }
    }
}
