package io.outpaint.simulator.video;

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

    /** Draws {@code text} in the top left corner, scaled to about a fortieth of the frame height. */
    static void draw(Picture picture, String text) {
        int scale = Math.max(1, picture.getHeight() / 160);
        int margin = 4 * scale;
        int boxWidth = (text.length() * 6 + 1) * scale + 2 * scale;
        int boxHeight = 9 * scale;
        byte[] luma = picture.getPlaneData(0);
        int width = picture.getPlaneWidth(0);
        for (int y = 0; y < boxHeight && margin + y < picture.getHeight(); y++) {
            for (int x = 0; x < boxWidth && margin + x < width; x++) {
                luma[(margin + y) * width + margin + x] = (byte) -100;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            String glyph = GLYPHS.getOrDefault(text.charAt(i), "");
            for (int bit = 0; bit < glyph.length(); bit++) {
                if (glyph.charAt(bit) != '1') {
                    continue;
                }
                int gx = margin + (2 + i * 6 + bit % 5) * scale;
                int gy = margin + (1 + bit / 5) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        if (gy + dy < picture.getHeight() && gx + dx < width) {
                            luma[(gy + dy) * width + gx + dx] = (byte) 110;
                        }
                    }
                }
            }
        }
    }
}
